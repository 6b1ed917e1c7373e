// The customer routes (API.md) and their payloads. One schema per payload, one contract per route:
// the handlers validate with them, the tests build from them and the OpenAPI document is generated from them.
// Each group lives in a module of its own (health, the submission, one case), so a function imports only its
// group and builds only those schemas when it loads; this module lists every customer route, in order.
import { customerCaseRoutes } from './customer-case-api.ts';
import { submitCaseRoutes } from './customer-submit-api.ts';
import { healthRoute } from './health-api.ts';

export type { CustomerCaseView } from './customer-case-api.ts';
export {
  type SubmitCaseInput,
  type SubmitCaseRequest,
  type SubmitCaseResponse,
  submitCaseRequestSchema,
} from './customer-submit-api.ts';

export const customerRoutes = {
  health: healthRoute,
  submitCase: submitCaseRoutes.submitCase,
  getCase: customerCaseRoutes.getCase,
  addMessage: customerCaseRoutes.addMessage,
  giveFeedback: customerCaseRoutes.giveFeedback,
  appeal: customerCaseRoutes.appeal,
  eraseCustomerData: customerCaseRoutes.eraseCustomerData,
  exportCustomerData: customerCaseRoutes.exportCustomerData,
  addAttachment: customerCaseRoutes.addAttachment,
};
