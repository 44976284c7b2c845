import type { ReactNode } from 'react';
import type { Settings } from '../../../src-proxy/contract/index.js';

export interface SectionProps {
  settings: Settings;
  onSaved(s: Settings): void;
}

/** One section of the settings, saved on its own. */
export function SettingsForm({ id, title, onSubmit, children }: { id: string; title: string; onSubmit(): void; children: ReactNode }) {
  return (
    <form
      className="card"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </form>
  );
}
