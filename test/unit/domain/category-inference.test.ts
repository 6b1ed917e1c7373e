import { describe, expect, it } from 'vitest';
import { type CaseType, type Category, caseTypes, categoriesByType, isCategoryOf } from '#domain/case-model';
import {
  categoryKeywordGroups,
  fallbackCategory,
  inferCategory,
  keywordGroups,
  tieBreakOrder,
} from '#domain/category-inference';
import {
  heldOutCases,
  type LabelledCase,
  labelledCases,
  tuningCases,
} from '../../fixtures/labelled-cases.ts';

const infer = (type: CaseType, subject: string, description = '') =>
  inferCategory(type, subject, description);

describe('category inference rules', () => {
  it.each([
    ['complaint', '快递员态度恶劣', 'service'],
    ['complaint', '派件员辱骂顾客', 'service'],
    ['complaint', 'The courier was rude to me', 'service'],
    ['exception', '包裹丢失', 'lost'],
    ['exception', 'My parcel is lost', 'lost'],
    ['exception', '外箱破损', 'damaged'],
    ['exception', 'Box damaged in transit', 'damaged'],
    ['exception', '快递迟迟不到', 'delayed'],
    ['exception', 'Long delay on my parcel', 'delayed'],
    ['complaint', '个人隐私泄露', 'privacy'],
    ['complaint', 'Data leak after sending a parcel', 'privacy'],
    ['complaint', '多收了运费，要求退款', 'billing'],
    ['complaint', 'Wrong fee on my receipt', 'billing'],
  ] as const)('the DOMAIN.md seed: %s "%s" → %s', (type, subject, category) => {
    expect(infer(type, subject).category).toBe(category);
  });

  it('reads the same cue according to the type: a lost parcel is a delivery complaint', () => {
    expect(infer('complaint', '丢件').category).toBe('delivery');
    expect(infer('exception', '丢件').category).toBe('lost');
    expect(infer('claim', '丢件').category).toBe('lost');
  });

  it.each([
    ['complaint', '代签', '快递员未经同意代签，放驿站了'],
    ['complaint', 'Misdelivered', 'They left it at the wrong address'],
    ['complaint', '送错', '投错了楼'],
  ] as const)(
    'a %s about signing or misdelivery is a delivery complaint (%s)',
    (type, subject, description) => {
      expect(infer(type, subject, description).category).toBe('delivery');
    },
  );

  it.each([
    ['exception', '送错地址了', 'misdelivered'],
    ['exception', '地址不详被退回', 'address_unknown'],
    ['exception', 'Marked as address unknown', 'address_unknown'],
    ['claim', '箱子里少了一件', 'missing_contents'],
    ['claim', 'The box arrived empty', 'missing_contents'],
    ['inquiry', '寄到新疆多久能到', 'time_limit'],
    ['inquiry', 'How much to send 5kg?', 'price'],
    ['inquiry', '面单怎么填', 'waybill'],
    ['inquiry', '易碎品怎么包装', 'packaging'],
    ['inquiry', 'Where is my parcel?', 'tracking'],
    ['inquiry', '电池能不能寄', 'scope'],
    ['suggestion', '建议客服热线增加人工', 'service'],
    ['suggestion', 'Add a feature to the app', 'product'],
  ] as const)('%s "%s" → %s', (type, subject, category) => {
    expect(infer(type, subject).category).toBe(category);
  });

  it('always answers a category of the given type', () => {
    const texts = ['快递员态度差', '包裹丢了', 'damaged and late', '多收运费', '', 'hello'];
    for (const type of caseTypes) {
      for (const text of texts) expect(isCategoryOf(type, infer(type, text, text).category)).toBe(true);
    }
  });

  it.each([
    ['complaint', 'other'],
    ['exception', 'other'],
    ['inquiry', 'other'],
    ['suggestion', 'other'],
    ['claim', 'lost'],
  ] as const)('with no cue a %s falls back to %s', (type, category) => {
    expect(infer(type, '你好', 'Hello there')).toEqual({ category, matchedKeywords: [] });
  });

  it('counts a cue in the subject more than one in the description', () => {
    expect(infer('exception', '外箱破损', '物流延误').category).toBe('damaged');
    expect(infer('exception', '物流延误', '外箱破损').category).toBe('delayed');
  });

  it('matches English case-insensitively and with the typographic apostrophe', () => {
    expect(infer('exception', 'PARCEL DAMAGED').category).toBe('damaged');
    expect(infer('claim', 'I can’t find my parcel anywhere').category).toBe('lost');
  });

  it('matches English whole words, with common inflections', () => {
    expect(infer('complaint', 'Feedback on the translated leaflet').category).toBe('other');
    expect(infer('complaint', 'I was overcharged', 'extra charges appeared').matchedKeywords).toEqual(
      expect.arrayContaining(['overcharged', 'extra charge']),
    );
  });

  it('ignores a negated cue', () => {
    expect(infer('exception', '外包装没有破损', '但是已经五天了还没到').category).toBe('delayed');
    expect(infer('exception', 'Not damaged, just very late').category).toBe('delayed');
  });

  it('reads an A-not-A question as asking, not denying', () => {
    expect(infer('inquiry', '学生寄件有没有优惠').category).toBe('price');
    expect(infer('exception', '是不是丢件了').category).toBe('lost');
  });

  it('lets the longer phrase claim the text: "还没收到" is a delay, not a loss', () => {
    const result = infer('exception', '还没收到');
    expect(result).toEqual({ category: 'delayed', matchedKeywords: ['还没收到'] });
  });

  it('reads an unpaid compensation as a billing complaint despite the loss it mentions', () => {
    expect(infer('complaint', '赔偿款还没到账', '件丢了以后说好赔300').category).toBe('billing');
  });

  it('breaks ties by the documented order: a loss outranks a delay', () => {
    expect(infer('exception', '', '延误了，估计是丢失了').category).toBe('lost');
  });

  it('reports the keywords that counted for the chosen category', () => {
    expect(infer('complaint', '快递员态度差', '还骂人').matchedKeywords).toEqual(['态度差', '骂人']);
  });
});

describe('keyword tables', () => {
  it('only name categories of their type, and rank every one of them', () => {
    for (const type of caseTypes) {
      const keyed = Object.keys(categoryKeywordGroups[type]);
      for (const category of keyed) expect(isCategoryOf(type, category)).toBe(true);
      expect([...tieBreakOrder[type]].sort()).toEqual([...keyed].sort());
      expect(isCategoryOf(type, fallbackCategory[type])).toBe(true);
    }
  });

  it('give every category but other a way to be inferred', () => {
    for (const type of caseTypes) {
      const inferable = categoriesByType[type].filter((c) => c !== 'other');
      expect(Object.keys(categoryKeywordGroups[type]).sort()).toEqual([...inferable].sort());
    }
  });

  it('hold lower-case English terms and sensible weights', () => {
    for (const keywords of Object.values(keywordGroups)) {
      for (const { term, weight } of keywords) {
        expect(term).toBe(term.toLowerCase());
        expect([1, 2, 3]).toContain(weight);
      }
    }
  });
});

interface Tally {
  total: number;
  correct: number;
}

function tally(cases: readonly LabelledCase[]): Tally & { misses: string[] } {
  const misses: string[] = [];
  for (const c of cases) {
    const { category } = inferCategory(c.type, c.subject, c.description);
    if (category !== c.expected) misses.push(`${c.type}/${c.expected} → ${category}: ${c.subject}`);
  }
  return { total: cases.length, correct: cases.length - misses.length, misses };
}

const row = (label: string, { total, correct }: Tally) =>
  `${label.padEnd(18)}${String(total).padStart(6)}${String(correct).padStart(9)}${((correct / total) * 100).toFixed(1).padStart(11)}`;

describe('accuracy on the labelled set', () => {
  it('is a realistic set: at least 70 cases, about 60 % Chinese, every category represented', () => {
    expect(labelledCases.length).toBeGreaterThanOrEqual(70);
    const chinese = labelledCases.filter((c) => c.language === 'zh').length / labelledCases.length;
    expect(chinese).toBeGreaterThan(0.5);
    expect(chinese).toBeLessThan(0.7);
    const present = new Set(labelledCases.map((c) => `${c.type}/${c.expected}`));
    for (const type of caseTypes) {
      for (const category of categoriesByType[type].filter((c: Category) => c !== 'other')) {
        expect(present, `${type}/${category}`).toContain(`${type}/${category}`);
      }
    }
    for (const c of labelledCases) expect(isCategoryOf(c.type, c.expected)).toBe(true);
  });

  it('stays at or above 80 % (a regression floor)', () => {
    const overall = tally(labelledCases);
    const lines = [
      `${'set'.padEnd(18)}${'total'.padStart(6)}${'correct'.padStart(9)}${'accuracy %'.padStart(11)}`,
      row('all', overall),
      row('  zh', tally(labelledCases.filter((c) => c.language === 'zh'))),
      row('  en', tally(labelledCases.filter((c) => c.language === 'en'))),
      row('tuning batch', tally(tuningCases)),
      row('held-out batch', tally(heldOutCases)),
      ...overall.misses.map((miss) => `  miss: ${miss}`),
    ];
    console.log(`category inference accuracy\n${lines.join('\n')}`);
    expect(overall.correct / overall.total).toBeGreaterThanOrEqual(0.8);
  });
});
