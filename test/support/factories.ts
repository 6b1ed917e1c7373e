// Small factories for requests: tests say what differs from a plain, valid case.
import type { SubmitCaseInput } from '#events/customer-api';

type Overrides = Partial<Omit<SubmitCaseInput, 'customer'>> & {
  customer?: Partial<SubmitCaseInput['customer']>;
};

export function aComplaint(overrides: Overrides = {}): SubmitCaseInput {
  const { customer, ...rest } = overrides;
  return {
    type: 'complaint',
    subject: '快递员态度恶劣',
    description: '派送时快递员对我大声辱骂，还把包裹扔在门口。',
    trackingNumber: 'SF1234567890123',
    customer: { name: '张三', email: 'zhangsan@example.com', locale: 'zh-CN', ...customer },
    consent: { dataProcessing: true },
    ...rest,
  } as SubmitCaseInput;
}

export function anInquiry(overrides: Overrides = {}): SubmitCaseInput {
  const { customer, ...rest } = overrides;
  return {
    type: 'inquiry',
    subject: 'How long does express take to Beijing?',
    description: 'I want to send a parcel from Shanghai to Beijing. How many days does express take?',
    customer: { name: 'Ann Lee', email: 'ann@example.com', locale: 'en', ...customer },
    consent: { dataProcessing: true },
    ...rest,
  } as SubmitCaseInput;
}
