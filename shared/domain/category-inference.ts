// Infers a case's category from its subject and description (DOMAIN.md §1) with weighted Chinese and English
// keywords. The result is a suggestion recorded on the timeline; an agent can correct it.
import type { CaseType, Category, CategoryOf } from './case-model.ts';

export interface Keyword {
  term: string;
  /** 3 = on its own names the category, 2 = a clear cue, 1 = a hint. */
  weight: number;
}

function kw(weight: number, ...terms: string[]): Keyword[] {
  return terms.map((term) => ({ term, weight }));
}

/**
 * Cues grouped by what they describe. Several categories reuse a group: a lost parcel is `lost` in an exception
 * or a claim but `delivery` in a complaint.
 */
// Built in a call the bundler may drop (`@__PURE__`) when nothing reads the tables: a function that only
// needs a constant from a module beside this one (the service policy's duplicate window, a timeline entry's
// channel) then carries none of these 12 KB of keywords.
export const keywordGroups = /* @__PURE__ */ (() =>
  ({
    attitude: [
      ...kw(
        3,
        '态度差',
        '态度恶劣',
        '态度不好',
        '服务态度',
        '辱骂',
        '骂人',
        '骂我',
        '推卸责任',
        '踢皮球',
        '拒绝派送',
      ),
      ...kw(3, 'rude', 'impolite', 'swore at', 'insulted', 'unprofessional', 'refused to deliver'),
      ...kw(2, '态度', '不耐烦', '推卸', '吼', '凶', '威胁', '爱答不理', '挂电话', '挂断', '敷衍', '甩脸色'),
      ...kw(2, '不礼貌', '素质', '不送', '不理人', '冷漠', '互相推', '不负责'),
      ...kw(2, 'shouted', 'yelled', 'attitude', 'dismissive', 'arrogant', 'threatened', 'hung up', 'blaming'),
      ...kw(2, 'no one takes responsibility', 'nobody takes responsibility', 'laughed at', 'aggressive'),
      ...kw(2, '说话难听', '难听', '摔电话'),
      ...kw(1, '骂', '服务差', '不专业', 'unhelpful', 'ignored me', 'shouting', 'refused'),
    ],
    lost: [
      ...kw(
        3,
        '丢失',
        '丢件',
        '遗失',
        '弄丢',
        '搞丢',
        '丢了',
        '下落不明',
        '不见了',
        '找不到件',
        '找不到包裹',
      ),
      ...kw(3, 'lost', 'never arrived', 'never received', 'never turned up', 'disappeared', 'vanished'),
      ...kw(3, 'cannot find my', "can't find my", 'cannot locate', "can't locate"),
      ...kw(
        2,
        '没收到',
        '没有收到',
        '一直没收到',
        '找不到',
        '丢',
        '失踪',
        '没有任何记录',
        '没记录',
        '没了',
        '弄没了',
      ),
      ...kw(
        2,
        'missing parcel',
        'missing package',
        'gone missing',
        'not received',
        "haven't received",
        'cannot find',
      ),
      ...kw(1, 'missing', 'nowhere', 'where is it', 'gone'),
    ],
    damaged: [
      ...kw(
        3,
        '破损',
        '损坏',
        '摔坏',
        '压坏',
        '摔碎',
        '碎了',
        '压扁',
        '坏了',
        '裂了',
        '裂开',
        '漏液',
        '磕坏',
      ),
      ...kw(
        3,
        'damaged',
        'broken',
        'crushed',
        'smashed',
        'shattered',
        'cracked',
        'dented',
        'in pieces',
        'snapped',
      ),
      ...kw(
        2,
        '碎',
        '裂纹',
        '裂',
        '变形',
        '划痕',
        '进水',
        '泡水',
        '受潮',
        '湿了',
        '湿透',
        '漏了',
        '洒了',
        '凹',
      ),
      ...kw(2, '磕', '瘪', '撕破', '破了', '花屏', '损毁', '摔'),
      ...kw(
        2,
        'damage',
        'leaking',
        'soaked',
        'wet',
        'torn',
        'scratched',
        'dent',
        'spilled',
        'leaked all over',
      ),
      ...kw(1, '烂', 'bent', 'ruined'),
    ],
    delayed: [
      ...kw(
        3,
        '延误',
        '延迟',
        '迟迟',
        '超时',
        '几天了还没',
        '还没到',
        '还没送到',
        '还没收到',
        '一直不动',
        '没更新',
      ),
      ...kw(
        3,
        'delay',
        'delayed',
        'late',
        'still not delivered',
        'still not arrived',
        "still hasn't arrived",
      ),
      ...kw(3, 'stuck in transit', 'overdue', 'no update', 'not arrived yet'),
      ...kw(2, '太慢', '慢', '滞留', '卡在', '停滞', '晚了', '晚到', '耽误', '好几天', '还在路上', '催一下'),
      ...kw(
        2,
        '才到',
        '才送到',
        '迟到',
        '一个星期了',
        '一周了',
        '没有更新',
        '没动',
        '还没派送',
        '没派送',
        '不派',
      ),
      ...kw(2, 'stuck', 'slow', 'taking forever', "hasn't moved", 'days late', 'still waiting'),
      ...kw(2, 'supposed to arrive', 'supposed to be here', 'should have arrived', 'estimated delivery'),
      ...kw(1, '等了', '催', 'waiting'),
    ],
    misdelivered: [
      ...kw(3, '送错', '投错', '派错', '错送', '错投', '别人签收', '送到别人家', '送到隔壁', '被别人拿走'),
      ...kw(
        3,
        '放错',
        'misdelivered',
        'wrong address',
        'wrong house',
        'wrong door',
        'wrong person',
        'wrong building',
      ),
      ...kw(
        3,
        'delivered to someone else',
        'delivered to the wrong',
        'delivered to my neighbour',
        'wrong flat',
      ),
      ...kw(2, '陌生人签收', '不认识', '隔壁', '不是我家', '别人家', '楼下', '送到了', '拿错'),
      ...kw(2, "isn't mine", 'not my door', 'not my house', 'neighbour', 'neighbor', 'someone else'),
      ...kw(1, '签收', 'signed by'),
    ],
    addressUnknown: [
      ...kw(
        3,
        '地址不详',
        '查无此人',
        '地址错误',
        '地址有误',
        '地址不全',
        '找不到地址',
        '无法派送',
        '地址写错',
      ),
      ...kw(3, 'address unknown', 'unknown address', 'incomplete address', 'no such person', 'undeliverable'),
      ...kw(
        3,
        "couldn't find the address",
        'cannot find the address',
        "can't find my street",
        "can't find my address",
      ),
      ...kw(2, "doesn't exist", 'new development', 'house number'),
      ...kw(2, '退回', '退件', '联系不上收件人', '找不到收件人', '地址不对', '改地址', '新小区', '导航'),
      ...kw(
        2,
        'return to sender',
        'returned to sender',
        'sent back',
        'recipient unknown',
        'address incorrect',
      ),
    ],
    unauthorisedSigning: [
      ...kw(3, '代签', '未经同意', '未经允许', '没经过我同意', '没经过同意', '虚假签收', '冒签', '被签收'),
      ...kw(3, '放驿站', '放快递柜', '没送上门', '不送上门', '不送货上门', '放门口'),
      ...kw(3, 'without my consent', 'without my permission', 'forged my signature', 'signed in my name'),
      ...kw(2, '显示已签收', '已签收', '驿站', '快递柜', '丰巢', '送货上门', '没打电话', '没敲门'),
      ...kw(2, 'marked delivered', 'marked as delivered', 'signed for', 'left outside', 'left at the door'),
      ...kw(2, 'dumped', 'no knock', 'no call', 'parcel locker', 'missed delivery', 'left my package'),
    ],
    missingContents: [
      ...kw(
        3,
        '内件短少',
        '短少',
        '少件',
        '少了',
        '少发',
        '漏发',
        '空盒',
        '空箱',
        '调包',
        '掉包',
        '数量不对',
      ),
      ...kw(
        3,
        'empty box',
        'arrived empty',
        'missing from',
        'items missing',
        'contents missing',
        'nothing inside',
      ),
      ...kw(2, '只有', '缺少', '缺了', '少一', '里面没', '重新封', '被拆', '拆过', '重量不对'),
      ...kw(2, 'only received', 'was opened', 'resealed', 'swapped', 'tampered'),
    ],
    privacy: [
      ...kw(
        3,
        '泄露',
        '泄漏',
        '隐私',
        '个人信息',
        '骚扰电话',
        '诈骗电话',
        '推销电话',
        '电话被泄露',
        '信息被卖',
      ),
      ...kw(3, 'privacy', 'personal data', 'personal information', 'data leak', 'leaked my', 'data breach'),
      ...kw(3, 'spam calls', 'scam calls', 'scam call'),
      ...kw(
        2,
        '面单信息',
        '卖了',
        '骚扰',
        '诈骗',
        '推销',
        '发到群里',
        '发群里',
        '拍照',
        '姓名电话',
        '加微信',
        '加我微信',
      ),
      ...kw(2, 'full name', 'mask', 'masked'),
      ...kw(1, '手机号', 'mobile number', 'home address'),
      ...kw(2, 'leaked', 'leak', 'my address', 'my phone number', 'shared my'),
      ...kw(1, '照片', 'details'),
    ],
    billing: [
      ...kw(
        3,
        '多收',
        '乱收费',
        '多扣',
        '重复扣',
        '扣了两次',
        '退款',
        '收费不合理',
        '多收费',
        '赔偿款',
        '理赔款',
      ),
      ...kw(3, '没到账', '还没到账', '未到账', '没退', '还没退'),
      ...kw(3, 'overcharged', 'charged twice', 'double charged', 'refund', 'billing', 'extra charge'),
      ...kw(
        2,
        '收费',
        '运费',
        '扣费',
        '扣款',
        '扣了',
        '费用',
        '到付',
        '差价',
        '加价',
        '付款',
        '付过',
        '打款',
      ),
      ...kw(2, '到账', '发票', '账单', '被坑', '收了我', '赔付款', '价格'),
      ...kw(
        2,
        'fee',
        'charge',
        'charged',
        'payment',
        'invoice',
        'price',
        'paid',
        'statement',
        'compensation payment',
      ),
      ...kw(1, '钱', '元', 'yuan', 'money'),
    ],
    scope: [
      ...kw(
        3,
        '能不能寄',
        '能寄',
        '可以寄吗',
        '能否寄',
        '可不可以寄',
        '能送到',
        '能不能送到',
        '送不送',
        '配送范围',
      ),
      ...kw(
        3,
        '服务范围',
        '禁寄',
        '违禁品',
        '不能寄',
        'can i send',
        'can i ship',
        'do you deliver to',
        'prohibited',
      ),
      ...kw(3, 'do you ship to', 'allowed to send', 'restricted items', 'service area'),
      ...kw(
        2,
        '寄到',
        '送到',
        '偏远',
        '国外',
        '海外',
        '国际',
        '港澳台',
        '液体',
        '电池',
        '村里',
        '乡下',
        '覆盖',
        '能收吗',
      ),
      ...kw(2, 'rural', 'village', 'remote area', 'pick up from', 'collect from'),
      ...kw(
        2,
        'coverage',
        'international',
        'overseas',
        'batteries',
        'battery',
        'liquids',
        'deliver to',
        'ship to',
      ),
    ],
    timeLimit: [
      ...kw(
        3,
        '多久',
        '几天能到',
        '多长时间',
        '时效',
        '什么时候能到',
        '多久能到',
        '次日达',
        '当日达',
        '当天送到',
      ),
      ...kw(
        3,
        'how long',
        'how many days',
        'delivery time',
        'transit time',
        'how soon',
        'next-day',
        'next day',
      ),
      ...kw(2, '几天', '当天', '隔天', '明天能到', '之前能到', '最晚', '加急', '几点'),
      ...kw(2, 'same day', 'same-day', 'arrive by', 'when would it', 'when will it', 'in time'),
    ],
    price: [
      ...kw(3, '多少钱', '价格', '运费怎么算', '收费标准', '怎么收费', '资费', '报价', '价目表', '保价费'),
      ...kw(3, 'how much', 'price', 'prices', 'rates', 'quote', 'shipping cost', 'what would it cost'),
      ...kw(2, '运费', '首重', '续重', '折扣', '打折', '优惠', '便宜', '贵', '费用', '月结', '收费'),
      ...kw(2, 'cost', 'rate', 'fee', 'discount', 'discounted', 'charge', 'monthly account', 'cheaper'),
    ],
    waybill: [
      ...kw(3, '运单', '面单', '电子面单', '怎么填', '填写', '填错', '写错', 'waybill', 'shipping label'),
      ...kw(2, '单子', '收件人信息', '寄件人信息', '打印', '备注', '改一下', '修改'),
      ...kw(2, 'label', 'fill in', 'fill out', 'recipient field', 'sender field', 'form', 'print'),
    ],
    packaging: [
      ...kw(3, '包装', '怎么包', '打包', '纸箱', '泡沫', '气泡膜', '编织袋', '木箱', '封箱', '包好'),
      ...kw(3, 'packaging', 'bubble wrap', 'how to pack', 'box it', 'wrap it', 'packing'),
      ...kw(2, '箱子', '易碎', '袋子', '缓冲', 'box', 'wrap', 'fragile', 'pack'),
    ],
    tracking: [
      ...kw(3, '到哪了', '到哪里了', '查件', '物流信息', '查询', '查一下', '跟踪', '追踪', '什么状态'),
      ...kw(3, 'where is my', 'track my', 'tracking', 'track', 'whereabouts', 'status of'),
      ...kw(2, '物流', '单号', '显示', '运输中', '派送中', '今天能派送', '在哪'),
      ...kw(2, 'not found', 'in transit', 'out for delivery', 'update', 'status'),
    ],
    suggestedService: [
      ...kw(3, '快递员', '客服', '人工客服', '热线', '营业时间', '送货上门', '打电话', '打个电话', '培训'),
      ...kw(
        3,
        'courier',
        'couriers',
        'customer service',
        'hotline',
        'opening hours',
        'counter hours',
        'train',
      ),
      ...kw(2, '服务', '网点', '上门', '短信', '排队', '派送', '态度', '等待'),
      ...kw(2, 'staff', 'branch', 'call before', 'open until', 'service', 'queue', 'driver', 'agent'),
    ],
    suggestedProduct: [
      ...kw(3, 'app', '小程序', '功能', '界面', '软件', '页面', '产品', '推出', '新增', '可循环', '可回收'),
      ...kw(
        3,
        'feature',
        'website',
        'interface',
        'product',
        'dark mode',
        'in the app',
        'recyclable',
        'reusable',
      ),
      ...kw(
        2,
        '预约',
        '环保',
        '包装箱',
        '快递盒',
        '会员',
        '系统',
        '选项',
        '设置',
        '通知',
        '支付',
        '开通',
        '扫码',
        '电子签收',
      ),
      ...kw(2, 'live map', 'map', 'online'),
      ...kw(
        2,
        'option',
        'setting',
        'notification',
        'eco-friendly',
        'subscription',
        'locker',
        'redirect',
        'button',
      ),
    ],
  }) as const satisfies Record<string, readonly Keyword[]>)();

type KeywordGroup = keyof typeof keywordGroups;
type KeywordsByCategory<T extends CaseType> = Partial<Record<CategoryOf<T>, readonly KeywordGroup[]>>;

/** Which keyword groups vote for which category, per type. Categories without groups are reached only by fallback. */
export const categoryKeywordGroups: { [T in CaseType]: KeywordsByCategory<T> } = {
  complaint: {
    privacy: ['privacy'],
    billing: ['billing'],
    service: ['attitude'],
    delivery: ['lost', 'damaged', 'delayed', 'misdelivered', 'unauthorisedSigning', 'missingContents'],
  },
  exception: {
    lost: ['lost'],
    damaged: ['damaged'],
    misdelivered: ['misdelivered'],
    address_unknown: ['addressUnknown'],
    delayed: ['delayed'],
  },
  claim: {
    missing_contents: ['missingContents'],
    damaged: ['damaged'],
    lost: ['lost'],
    delayed: ['delayed'],
  },
  inquiry: {
    tracking: ['tracking'],
    scope: ['scope'],
    time_limit: ['timeLimit'],
    price: ['price'],
    waybill: ['waybill'],
    packaging: ['packaging'],
  },
  suggestion: {
    product: ['suggestedProduct'],
    service: ['suggestedService'],
  },
};

/**
 * Ties are broken by this order, most specific first: a case mentioning both a delay and a loss is more likely a
 * loss, and a privacy or billing complaint often also mentions the delivery.
 */
export const tieBreakOrder: { [T in CaseType]: readonly CategoryOf<T>[] } = {
  complaint: ['privacy', 'billing', 'service', 'delivery'],
  exception: ['lost', 'damaged', 'misdelivered', 'address_unknown', 'delayed'],
  claim: ['missing_contents', 'damaged', 'lost', 'delayed'],
  inquiry: ['tracking', 'scope', 'time_limit', 'price', 'waybill', 'packaging'],
  suggestion: ['product', 'service'],
};

/**
 * When no keyword matches. Every type but claim has `other`; a claim with no cue is most often for a parcel
 * that never arrived, the commonest claim.
 */
export const fallbackCategory: { [T in CaseType]: CategoryOf<T> } = {
  complaint: 'other',
  exception: 'other',
  claim: 'lost',
  inquiry: 'other',
  suggestion: 'other',
};

/** A match in the subject counts this many times a match in the description: the subject is the gist. */
export const subjectWeight = 2;
export const descriptionWeight = 1;

/** A cue right after one of these is negated ("没有破损", "not damaged") and does not count. */
const negations = ['没有', '并没有', '没', '未', '无', '不是', 'not ', 'no ', "n't ", 'never ', 'without '];
/** Chinese A-not-A questions contain a negation but ask rather than deny. */
const questionForms = ['有没有', '是不是', '会不会', '能不能', '可不可以'];

export interface CategoryInference {
  category: Category;
  /** The keywords that counted for the chosen category, in the order found. */
  matchedKeywords: string[];
}

/** One distinct term of a type's vocabulary and what it votes for. */
interface Term {
  text: string;
  votes: { category: Category; weight: number; keyword: string }[];
}

const wordChar = /[a-z0-9]/;
// Lets "fee" match "fees" and "charge" match "charged" without listing every form.
const inflection = /^(?:'s|s|es|d|ed|ing)?(?![a-z0-9])/;

/** Normalises case and the typographic apostrophe so that "Can’t" and "can't" match the same keyword. */
function normalise(text: string): string {
  return text.toLowerCase().replaceAll('’', "'");
}

function isNegated(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 8), start);
  // "有没有优惠" and "是不是丢了" ask about the cue rather than deny it.
  if (questionForms.some((question) => before.endsWith(question))) return false;
  return negations.some((negation) => before.endsWith(negation));
}

/** Where `term` occurs: as a whole word, inflections allowed, for English; anywhere for Chinese. */
function occurrences(text: string, term: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  const english = /^[\x20-\x7e]+$/.test(term);
  for (let start = text.indexOf(term); start >= 0; start = text.indexOf(term, start + 1)) {
    if (!english) {
      found.push({ start, end: start + term.length });
      continue;
    }
    if (start > 0 && wordChar.test(text[start - 1]!)) continue;
    const tail = inflection.exec(text.slice(start + term.length));
    if (tail) found.push({ start, end: start + term.length + tail[0].length });
  }
  return found;
}

function vocabularyFor(type: CaseType): Term[] {
  const groupsByCategory = categoryKeywordGroups[type] as Partial<Record<Category, readonly KeywordGroup[]>>;
  const terms = new Map<string, Term>();
  for (const [category, groups] of Object.entries(groupsByCategory) as [
    Category,
    readonly KeywordGroup[],
  ][]) {
    for (const keyword of groups.flatMap((group) => keywordGroups[group])) {
      const text = normalise(keyword.term);
      const term = terms.get(text) ?? { text, votes: [] };
      const vote = term.votes.find((v) => v.category === category);
      // A term listed twice for one category counts once, at its highest weight.
      if (!vote) term.votes.push({ category, weight: keyword.weight, keyword: keyword.term });
      else vote.weight = Math.max(vote.weight, keyword.weight);
      terms.set(text, term);
    }
  }
  // Longest first, so that the more specific phrase claims the text it covers.
  return [...terms.values()].sort((a, b) => b.text.length - a.text.length);
}

const vocabularyByType = new Map<CaseType, Term[]>();

/**
 * Adds one field's votes. Longer terms mask the text they cover, so "还没收到" (delay) is not also read as
 * "没收到" (lost); each term counts once per field; a negated cue masks but does not vote.
 */
function scoreField(
  text: string,
  vocabulary: readonly Term[],
  fieldWeight: number,
  scores: Map<Category, number>,
  matched: Map<Category, string[]>,
): void {
  const normalised = normalise(text);
  const masked = new Array<boolean>(normalised.length).fill(false);
  for (const term of vocabulary) {
    let counted = false;
    for (const { start, end } of occurrences(normalised, term.text)) {
      if (masked.slice(start, end).some(Boolean)) continue;
      masked.fill(true, start, end);
      if (counted || isNegated(normalised, start)) continue;
      counted = true;
      for (const { category, weight, keyword } of term.votes) {
        scores.set(category, (scores.get(category) ?? 0) + weight * fieldWeight);
        const keywords = matched.get(category) ?? [];
        if (!keywords.includes(keyword)) keywords.push(keyword);
        matched.set(category, keywords);
      }
    }
  }
}

export function inferCategory(type: CaseType, subject: string, description: string): CategoryInference {
  let vocabulary = vocabularyByType.get(type);
  if (!vocabulary) {
    vocabulary = vocabularyFor(type);
    vocabularyByType.set(type, vocabulary);
  }
  const scores = new Map<Category, number>();
  const matched = new Map<Category, string[]>();
  scoreField(subject, vocabulary, subjectWeight, scores, matched);
  scoreField(description, vocabulary, descriptionWeight, scores, matched);

  let best: Category | undefined;
  let bestScore = 0;
  for (const category of tieBreakOrder[type] as readonly Category[]) {
    const score = scores.get(category) ?? 0;
    if (score > bestScore) {
      best = category;
      bestScore = score;
    }
  }
  if (best === undefined) return { category: fallbackCategory[type], matchedKeywords: [] };
  return { category: best, matchedKeywords: matched.get(best) ?? [] };
}
