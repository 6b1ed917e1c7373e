// A case's attachments in the workspace: each file with its size; staff who may see the content get a
// short-lived link (and a thumbnail for an image), auditors the list alone.
import type { AgentCaseView } from '#events/agent-api';
import { formatSize } from '../case/Attachments.tsx';

export function AttachmentList({ attachments }: { attachments: NonNullable<AgentCaseView['attachments']> }) {
  return (
    <section class="card" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">Attachments</h2>
      {attachments.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul data-testid="attachments" class="attachments">
          {attachments.map((attachment) => (
            <li key={attachment.attachmentId}>
              {attachment.url ? (
                <a href={attachment.url} target="_blank" rel="noopener noreferrer">
                  {attachment.contentType.startsWith('image/') && attachment.contentType !== 'image/heic' && (
                    <img
                      src={attachment.url}
                      alt=""
                      width={64}
                      height={64}
                      style="object-fit:cover;vertical-align:middle;margin-right:0.5rem"
                    />
                  )}
                  {attachment.fileName}
                </a>
              ) : (
                attachment.fileName
              )}{' '}
              <span class="muted">({formatSize(attachment.size)})</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
