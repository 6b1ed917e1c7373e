// The case's attachments on the customer's page: the files already added, and an upload control. The
// file goes straight to S3 with the presigned POST the API gives; it is listed once S3 announced it and
// the service checked it, so the list is read again for a few seconds after an upload.
import { useState } from 'preact/hooks';
import type { CustomerCaseView } from '#events/customer-api';
import { ApiError, api } from '../common/api.ts';
import type { PageLocale } from '../common/time.ts';

interface Upload {
  attachmentId: string;
  upload: { url: string; fields: Record<string, string> };
}

const words = {
  'zh-CN': {
    heading: '附件',
    none: '暂无附件。',
    pick: '选择照片或 PDF',
    hint: '图片（JPEG、PNG、WebP、HEIC、GIF）或 PDF，每个不超过 10 MB，每个工单最多 10 个。',
    upload: '上传',
    uploading: '正在上传…',
    done: '已上传，核验后显示在列表中。',
    errors: {
      unsupported_media_type: '只能上传图片或 PDF。',
      payload_too_large: '文件不能超过 10 MB。',
      conflict: '每个工单最多 10 个附件，或工单已关闭。',
      refused: '上传被拒绝，请重新选择文件。',
      unknown: '上传失败，请稍后再试。',
    } as Record<string, string>,
  },
  en: {
    heading: 'Attachments',
    none: 'No attachments yet.',
    pick: 'Choose a photo or PDF',
    hint: 'Images (JPEG, PNG, WebP, HEIC, GIF) or PDF, up to 10 MB each, at most 10 per case.',
    upload: 'Upload',
    uploading: 'Uploading…',
    done: 'Uploaded; it is listed once checked.',
    errors: {
      unsupported_media_type: 'Only images or PDF can be attached.',
      payload_too_large: 'A file may be at most 10 MB.',
      conflict: 'A case holds at most 10 attachments, or it is closed.',
      refused: 'The upload was refused; choose the file again.',
      unknown: 'The upload failed; please try again later.',
    } as Record<string, string>,
  },
} as const;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function AttachmentsCard(props: {
  view: CustomerCaseView;
  token: string;
  locale: PageLocale;
  reload: () => Promise<void>;
}) {
  const { view, token, locale, reload } = props;
  const w = words[locale];
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const listed = view.attachments ?? [];

  const send = async (chosen: File) => {
    setBusy(true);
    setMessage(null);
    try {
      const declared = await api<Upload>('POST', `/cases/${view.caseId}/attachments`, {
        caseToken: token,
        body: {
          fileName: chosen.name,
          contentType: chosen.type || 'application/octet-stream',
          size: chosen.size,
        },
      });
      const form = new FormData();
      for (const [name, value] of Object.entries(declared.upload.fields)) form.append(name, value);
      form.append('file', chosen);
      const stored = await fetch(declared.upload.url, {
        method: 'POST',
        body: form,
        referrerPolicy: 'no-referrer',
      });
      if (!stored.ok) throw new ApiError(stored.status, 'refused', 'S3 refused the upload');
      setMessage({ error: false, text: w.done });
      setFile(null);
      // Listed once checked: read the case again a few times.
      for (let attempt = 0; attempt < 10; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 800));
        await reload();
      }
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'unknown';
      setMessage({ error: true, text: w.errors[code] ?? w.errors.unknown! });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">{w.heading}</h2>
      {listed.length === 0 ? (
        <p>{w.none}</p>
      ) : (
        <ul data-testid="attachments">
          {listed.map((attachment) => (
            <li key={attachment.attachmentId}>
              {attachment.fileName} <span class="muted">({formatSize(attachment.size)})</span>
            </li>
          ))}
        </ul>
      )}
      {view.status !== 'closed' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (file) void send(file);
          }}
        >
          <label for="attachment-file">{w.pick}</label>
          <input
            id="attachment-file"
            type="file"
            accept="image/jpeg,image/png,image/webp,image/heic,image/gif,application/pdf"
            aria-describedby="attachment-hint"
            onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
          />
          <p id="attachment-hint" class="muted">
            {w.hint}
          </p>
          <p>
            <button type="submit" disabled={busy || !file}>
              {busy ? w.uploading : w.upload}
            </button>
          </p>
        </form>
      )}
      <div aria-live="polite">
        {message && (
          <p class={message.error ? 'alert' : 'notice'} role={message.error ? 'alert' : undefined}>
            {message.text}
          </p>
        )}
      </div>
    </section>
  );
}
