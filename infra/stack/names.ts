/** `slaWork` → `SlaWork`, `sla-sweep` → `SlaSweep`: catalogue names as construct ids. */
export function pascalCase(name: string): string {
  return name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
