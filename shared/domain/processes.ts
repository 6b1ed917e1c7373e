// The vocabulary of the processes the seeds add beside the complaint flow (README "Processes"): returns and
// re-sends, non-cash remedies, problem kinds with their own resolution target, and force majeure as a cause.
// Plain data only; the targets live in the SLA policy and the compensation effects in the compensation policy.

/**
 * Returns (002 §3.4): 客户主动退回 (the customer sends it back, 3 working days), 邮政主动退回 (the carrier
 * returns it and must tell the customer, 2 working days), 系统自动退回 (the system returns it, 1 working
 * day), and the free re-send after a return for a wrong address (地址错误 → 免费补寄).
 */
export const parcelReturnKinds = [
  'customer_return',
  'carrier_return',
  'system_return',
  'address_resend',
] as const;
export type ParcelReturnKind = (typeof parcelReturnKinds)[number];

/** Non-cash remedies (003 §4.3.3 补发; 002 §3.3 免费更换或补寄): re-ship, free replacement, re-send. */
export const remedies = ['reship', 'replacement', 'resend'] as const;
export type Remedy = (typeof remedies)[number];

/** 004 §2.4: technical problems are resolved within 72 hours, process problems within 48 hours. */
export const problemKinds = ['technical', 'process'] as const;
export type ProblemKind = (typeof problemKinds)[number];
