import { useState } from 'preact/hooks';
import { type StaffRole, staffRoles } from '#domain/staff-permissions';
import type { SiteConfig } from '../common/config.ts';
import { beginCognitoSignIn, type StaffSession, sandboxSignIn } from './session.ts';
import { staffErrorInWords } from './words.ts';

export function SignIn({
  config,
  onSignedIn,
}: {
  config: SiteConfig;
  onSignedIn: (session: StaffSession) => void;
}) {
  const [role, setRole] = useState<StaffRole>('agent');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const returnTo = `${window.location.pathname}${window.location.search}`;

  if (config.auth.kind === 'cognito') {
    const settings = config.auth;
    return (
      <section class="card narrow" aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">Sign in</h1>
        <p>Sign in with your staff account to work cases.</p>
        <button type="button" onClick={() => void beginCognitoSignIn(settings, returnTo)}>
          Sign in
        </button>
      </section>
    );
  }
  return (
    <section class="card narrow" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sandbox sign-in</h1>
      <p class="muted">The sandbox signs a staff token with its local key. Pick a role and a name.</p>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          setBusy(true);
          setError(null);
          try {
            const sub = name.trim();
            onSignedIn(await sandboxSignIn([role], sub, `${sub}@carrier.example`));
          } catch (caught) {
            setError(staffErrorInWords(caught));
          } finally {
            setBusy(false);
          }
        }}
      >
        <label for="role">Role</label>
        <select id="role" value={role} onChange={(e) => setRole(e.currentTarget.value as StaffRole)}>
          {staffRoles.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <label for="name">Name</label>
        <input
          id="name"
          required
          pattern="[A-Za-z0-9._-]+"
          title="Letters, digits, dot, underscore or hyphen"
          autoComplete="username"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <p>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </p>
      </form>
      {error && (
        <p class="alert" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
