/**
 * What the shell knows about newer releases. Only the desktop app checks (the headless core reports
 * `supported: false`); it checks on its own only when the user turned `update_check` on, and it never
 * downloads or installs anything: it names the release and links to it.
 */
export interface UpdateStatus {
  supported: boolean;
  current_version: string;
  /** The newest release seen, when newer than the running one; null when up to date or not checked. */
  latest_version: string | null;
  release_url: string | null;
  checked_at: number | null;
  /** Why the last check failed (a ControlErrorCode); null after a good check. */
  error: 'upstream_unreachable' | 'internal' | null;
}
