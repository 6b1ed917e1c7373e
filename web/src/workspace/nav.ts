// Moving between workspace pages without a reload: history, and a popstate the app listens to.

export function navigate(path: string): void {
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** A same-page link: history navigation instead of a reload (modified clicks behave as usual). */
export function link(path: string) {
  return (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(path);
  };
}
