// The case token arrives in the URL fragment (never sent to a server or logged). It moves into the page's
// own state, kept for this tab only so a reload still works, and leaves the address bar at once.

const storageKey = (caseId: string) => `parcel-care.case-token.${caseId}`;

export function takeCaseToken(caseId: string): string | null {
  const fromFragment = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  if (fromFragment) {
    sessionStorage.setItem(storageKey(caseId), fromFragment);
    history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}`);
    return fromFragment;
  }
  return sessionStorage.getItem(storageKey(caseId));
}
