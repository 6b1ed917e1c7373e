// Attachments of a case: the customer's presigned upload, the check once S3 stored the file, email
// attachments stored the same way, the lists both views show, and their deletion with the case.
import {
  type Attachment,
  acceptDeclaredFile,
  attachmentAddedEntry,
  attachmentKey,
  attachmentKeyPrefix,
  attachmentLimits,
  checkUpload,
  type DeclaredFile,
  parseAttachmentKey,
} from '#domain/attachments';
import { Conflict, DomainError } from '#domain/errors';
import { type StaffMember, seesContactDetails } from '#domain/staff-permissions';
import type { SupportCase } from '#domain/support-case';
import { openCaseAsCustomer } from './customer-access.ts';
import type { Dependencies, UploadForm } from './ports.ts';

type AttachmentDeps = Dependencies;

export interface AttachmentUpload {
  attachmentId: string;
  upload: UploadForm;
  expiresAt: string;
}

/** What both views list of an uploaded attachment. */
export interface ListedAttachment {
  attachmentId: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedAt: string;
}

const full = () =>
  new Conflict(`A case holds at most ${attachmentLimits.perCase} attachments`, [
    { path: 'attachments', message: `${attachmentLimits.perCase} already` },
  ]);

function takesAttachments(supportCase: SupportCase): void {
  if (supportCase.status === 'closed') {
    throw new Conflict('A closed case takes no more attachments', [{ path: 'status', message: 'closed' }]);
  }
}

/** The customer declares a file and gets a presigned POST that S3 holds to that key, type and size. */
export async function requestAttachmentUpload(
  caseId: string,
  token: string | undefined,
  declared: DeclaredFile,
  deps: AttachmentDeps,
): Promise<AttachmentUpload> {
  const supportCase = await openCaseAsCustomer(caseId, token, deps);
  takesAttachments(supportCase);
  const accepted = acceptDeclaredFile(declared);
  const now = deps.clock.now();
  const attachment: Attachment = {
    attachmentId: crypto.randomUUID(),
    caseId,
    ...accepted,
    state: 'pending',
    source: 'customer',
    createdAt: now.toISOString(),
  };
  const reserved =
    (await deps.attachments.reserve(attachment, attachmentLimits.perCase)) ||
    ((await releaseAbandonedUploads(caseId, now, deps)) > 0 &&
      (await deps.attachments.reserve(attachment, attachmentLimits.perCase)));
  if (!reserved) throw full();
  const upload = await deps.attachmentLinks.presignUpload({
    key: attachmentKey(caseId, attachment.attachmentId),
    contentType: attachment.contentType,
    // The policy admits up to the declared size: S3 refuses a bigger file than the customer said.
    maxBytes: attachment.size,
    expiresInSeconds: attachmentLimits.uploadSeconds,
  });
  return {
    attachmentId: attachment.attachmentId,
    upload,
    expiresAt: new Date(now.getTime() + attachmentLimits.uploadSeconds * 1000).toISOString(),
  };
}

/** A declared upload that was never sent gives its slot back once its presigned POST has long expired. */
const abandonedAfterMs = (attachmentLimits.uploadSeconds + 5 * 60) * 1000;

async function releaseAbandonedUploads(caseId: string, now: Date, deps: AttachmentDeps): Promise<number> {
  const abandoned = (await deps.attachments.list(caseId)).filter(
    (a) => a.state === 'pending' && Date.parse(a.createdAt) + abandonedAfterMs < now.getTime(),
  );
  let released = 0;
  for (const attachment of abandoned) {
    const settled = await deps.attachments.settle(attachment, {
      state: 'rejected',
      reason: 'Not uploaded before its upload form expired',
    });
    if (settled) released += 1;
  }
  return released;
}

/**
 * S3 stored an object (its event notification): a pending attachment becomes uploaded, with the size
 * S3 stored and its timeline entry, if its bytes are the declared type; else it is rejected and the file
 * deleted. A repeated notification, or one for a key that is no attachment, changes nothing.
 */
export async function recordStoredObject(
  key: string,
  deps: AttachmentDeps,
): Promise<Attachment['state'] | null> {
  const ids = parseAttachmentKey(key);
  if (!ids) {
    deps.logger.warn('An object that is not an attachment was stored in the attachments bucket', { key });
    return null;
  }
  const attachment = await deps.attachments.get(ids.caseId, ids.attachmentId);
  if (attachment?.state !== 'pending') return attachment?.state ?? null;
  const stored = await deps.attachmentFiles.inspect(key);
  if (!stored) return 'pending';
  const supportCase = await deps.cases.getCase(ids.caseId, { consistent: false });
  return settle(attachment, stored, supportCase?.customer.locale ?? 'zh-CN', deps);
}

async function settle(
  attachment: Attachment,
  stored: { size: number; firstBytes: Uint8Array },
  locale: SupportCase['customer']['locale'],
  deps: AttachmentDeps,
): Promise<Attachment['state']> {
  const verdict = checkUpload(attachment, stored);
  const key = attachmentKey(attachment.caseId, attachment.attachmentId);
  if (verdict.state === 'rejected') {
    await deps.attachments.settle(attachment, verdict);
    await deps.attachmentFiles.deleteAll(key);
    deps.logger.info('Attachment rejected', { caseId: attachment.caseId, reason: verdict.reason });
    return 'rejected';
  }
  const now = deps.clock.now();
  const entry = attachmentAddedEntry(now, { ...attachment, size: verdict.size }, locale);
  await deps.attachments.settle(attachment, {
    state: 'uploaded',
    size: verdict.size,
    uploadedAt: now.toISOString(),
    entry,
  });
  return 'uploaded';
}

export type StoredEmailAttachment =
  | { stored: true; attachmentId: string }
  | { stored: false; reason: 'not_accepted' | 'case_full' | 'not_the_declared_type'; message: string };

/**
 * An attachment that came with an email, stored like an upload: the same types, size and count limits,
 * the same check of its bytes, the same item and timeline entry. Files that do not qualify are not
 * stored, and the caller learns why (an email is never refused for its attachments).
 */
export async function storeEmailAttachment(
  file: { caseId: string; fileName: string; contentType: string; bytes: Uint8Array },
  deps: AttachmentDeps,
): Promise<StoredEmailAttachment> {
  let accepted: ReturnType<typeof acceptDeclaredFile>;
  try {
    accepted = acceptDeclaredFile({
      fileName: file.fileName,
      contentType: file.contentType,
      size: file.bytes.length,
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { stored: false, reason: 'not_accepted', message: error.message };
  }
  const attachment: Attachment = {
    attachmentId: crypto.randomUUID(),
    caseId: file.caseId,
    ...accepted,
    state: 'pending',
    source: 'email',
    createdAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.attachments.reserve(attachment, attachmentLimits.perCase))) {
    return { stored: false, reason: 'case_full', message: full().message };
  }
  await deps.attachmentFiles.put(
    attachmentKey(file.caseId, attachment.attachmentId),
    attachment.contentType,
    file.bytes,
  );
  const supportCase = await deps.cases.getCase(file.caseId, { consistent: false });
  const state = await settle(
    attachment,
    { size: file.bytes.length, firstBytes: file.bytes.slice(0, 16) },
    supportCase?.customer.locale ?? 'zh-CN',
    deps,
  );
  return state === 'uploaded'
    ? { stored: true, attachmentId: attachment.attachmentId }
    : {
        stored: false,
        reason: 'not_the_declared_type',
        message: `The file is not ${attachment.contentType}`,
      };
}

const listed = (attachment: Attachment): ListedAttachment => ({
  attachmentId: attachment.attachmentId,
  fileName: attachment.fileName,
  contentType: attachment.contentType,
  size: attachment.size,
  uploadedAt: attachment.uploadedAt ?? attachment.createdAt,
});

/** The customer's list: their uploaded files (and those of their emails), without links. */
export async function customerAttachments(
  caseId: string,
  deps: Pick<Dependencies, 'attachments'>,
): Promise<ListedAttachment[]> {
  return (await deps.attachments.list(caseId)).filter((a) => a.state === 'uploaded').map(listed);
}

/**
 * Staff's list: every uploaded file; readers who see the case's personal data in clear get a
 * short-lived download URL each (images show from it as thumbnails), auditors the list without content.
 */
export async function staffAttachments(
  caseId: string,
  staff: StaffMember,
  deps: Pick<Dependencies, 'attachments' | 'attachmentLinks'>,
): Promise<Array<ListedAttachment & { url?: string }>> {
  const uploaded = (await deps.attachments.list(caseId)).filter((a) => a.state === 'uploaded');
  if (!seesContactDetails(staff)) return uploaded.map(listed);
  return Promise.all(
    uploaded.map(async (attachment) => ({
      ...listed(attachment),
      url: await deps.attachmentLinks.downloadUrl(attachmentKey(caseId, attachment.attachmentId), {
        fileName: attachment.fileName,
        contentType: attachment.contentType,
        expiresInSeconds: attachmentLimits.downloadSeconds,
      }),
    })),
  );
}

/** With its case, every file and attachment item goes (the retention job calls this); how many there were. */
export async function deleteCaseAttachments(
  caseId: string,
  deps: Pick<Dependencies, 'attachments' | 'attachmentFiles'>,
): Promise<{ files: number; attachments: number }> {
  const files = await deps.attachmentFiles.deleteAll(attachmentKeyPrefix(caseId));
  const attachments = await deps.attachments.deleteAll(caseId);
  return { files, attachments };
}
