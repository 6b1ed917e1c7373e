import { attachmentRecords } from '#adapters/wiring/attachment-records';
import { caseTable } from '#adapters/wiring/case-table';
import { objectStore } from '#adapters/wiring/object-store';
import { customerCaseRoutes } from '#events/customer-case-api';
import { requestAttachmentUpload } from '#use-cases/attachments';
import { httpRoute } from '../middleware/http-route.ts';

export const handler = httpRoute(
  customerCaseRoutes.addAttachment,
  [caseTable, attachmentRecords, objectStore],
  async (request, deps) => ({
    body: await requestAttachmentUpload(request.path.caseId, request.caseToken, request.body, deps),
  }),
);
