import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { attachmentSigner } from '#adapters/wiring/attachment-signer';
import { caseTable } from '#adapters/wiring/case-table';
import { customerCaseRoutes } from '#events/customer-case-api';
import { requestAttachmentUpload } from '#use-cases/attachments';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerCaseRoutes.addAttachment,
  [caseTable, attachmentRecords, attachmentSigner],
  async (request, deps) => ({
    body: await requestAttachmentUpload(request.path.caseId, request.caseToken, request.body, deps),
  }),
);
