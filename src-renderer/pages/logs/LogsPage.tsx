export function LogsPage() {
  return <p className="muted">Coming in the next build of the console.</p>;
}
