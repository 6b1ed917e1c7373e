// The agent workspace: sign-in, the queue, a case, the report. Paths: /workspace/, /workspace/cases/{id},
// /workspace/reports. Links in staff emails open /workspace/cases/{id}, after sign-in when needed.
import { useEffect, useState } from 'preact/hooks';
import { mayDo } from '#domain/staff-permissions';
import { type SiteConfig, siteConfig } from '../common/config.ts';
import { CaseView } from './CaseView.tsx';
import { link } from './nav.ts';
import { Queue } from './Queue.tsx';
import { Report } from './Report.tsx';
import { SignIn } from './SignIn.tsx';
import { syncServerClock } from './server-time.ts';
import {
  cognitoSignOut,
  completeCognitoSignIn,
  keepSession,
  type StaffSession,
  savedSession,
} from './session.ts';
import { staffErrorInWords } from './words.ts';

function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return path;
}

export function App() {
  const path = usePath();
  const [config, setConfig] = useState<SiteConfig | null>(null);
  const [session, setSession] = useState<StaffSession | null>(savedSession);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const loaded = await siteConfig();
      await syncServerClock();
      if (loaded.auth.kind === 'cognito') {
        try {
          const returned = await completeCognitoSignIn(loaded.auth);
          if (returned) {
            keepSession(returned.session);
            setSession(returned.session);
            history.replaceState(null, '', returned.returnTo);
            window.dispatchEvent(new PopStateEvent('popstate'));
          }
        } catch (caught) {
          setError(staffErrorInWords(caught));
        }
      }
      setConfig(loaded);
    })();
  }, []);

  const signOut = () => {
    keepSession(null);
    setSession(null);
  };
  const signOutEverywhere = () => {
    signOut();
    if (config?.auth.kind === 'cognito') cognitoSignOut(config.auth);
  };
  const signedIn = (next: StaffSession) => {
    keepSession(next);
    setSession(next);
  };

  const caseId = path.match(/^\/workspace\/cases\/([^/]+)\/?$/)?.[1];
  let page = <Queue session={session!} onUnauthorized={signOut} />;
  if (caseId)
    page = <CaseView session={session!} caseId={decodeURIComponent(caseId)} onUnauthorized={signOut} />;
  else if (path.startsWith('/workspace/reports'))
    page = <Report session={session!} onUnauthorized={signOut} />;

  return (
    <>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="bar">
        <div>
          <strong>Parcel Care · Workspace</strong>
          {session && (
            <nav aria-label="Workspace" class="row">
              <a href="/workspace/" onClick={link('/workspace/')}>
                Queue
              </a>
              {mayDo(session, 'view_reports') && (
                <a href="/workspace/reports" onClick={link('/workspace/reports')}>
                  Report
                </a>
              )}
              <span class="muted">
                {session.sub} ({session.roles.join(', ')})
              </span>
              <button type="button" class="secondary" onClick={signOutEverywhere}>
                Sign out
              </button>
            </nav>
          )}
        </div>
      </header>
      <main id="content" class="wide">
        {error && (
          <p class="alert" role="alert">
            {error}
          </p>
        )}
        {!config ? <p>Loading…</p> : session ? page : <SignIn config={config} onSignedIn={signedIn} />}
      </main>
    </>
  );
}
