// The agent routes (API.md, "Agent routes") and their payloads. The handlers validate with them, the tests build
// from them and the OpenAPI document is generated from them. Each group lives in a module of its own
// (case reads, case writes, reports, customers, incidents), so a function imports only its group and
// builds only those schemas when it loads; this module lists every staff route, in the document's order.
import { caseReadRoutes } from './agent-case-reads.ts';
import { caseWriteRoutes } from './agent-case-writes.ts';
import { customerRoutesForStaff } from './agent-customers.ts';
import { reportRoutes } from './agent-reports.ts';
import { incidentRoutes } from './incident-api.ts';

export {
  type AgentCaseQuery,
  type AgentCaseView,
  type CaseSummary,
  type ListCasesQuery,
  listCasesQuerySchema,
} from './agent-case-reads.ts';
export { planRequestSchema, resolveRequestSchema } from './agent-case-writes.ts';
export type { ReportSummaryResponse } from './agent-reports.ts';

export const agentRoutes = {
  listCases: caseReadRoutes.listCases,
  getCase: caseReadRoutes.getCase,
  assign: caseWriteRoutes.assign,
  reply: caseWriteRoutes.reply,
  plan: caseWriteRoutes.plan,
  status: caseWriteRoutes.status,
  escalate: caseWriteRoutes.escalate,
  resolve: caseWriteRoutes.resolve,
  close: caseWriteRoutes.close,
  correctCategory: caseWriteRoutes.correctCategory,
  reportSummary: reportRoutes.reportSummary,
  parcelReturn: caseWriteRoutes.parcelReturn,
  problem: caseWriteRoutes.problem,
  cause: caseWriteRoutes.cause,
  appealRedo: caseWriteRoutes.appealRedo,
  setCustomerTier: customerRoutesForStaff.setCustomerTier,
  ...incidentRoutes,
};
