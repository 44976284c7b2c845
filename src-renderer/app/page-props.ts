export interface PageProps {
  /** Shows another page of the console (by its id: overview, accounts, logs, stats, settings). */
  onNavigate(page: string): void;
}
