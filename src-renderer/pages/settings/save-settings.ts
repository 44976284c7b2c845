import { useState } from 'react';
import { SettingsSchema, type Settings, type SettingsPatch } from '../../../src-proxy/contract/index.js';
import { useControl } from '../../app/control-context.js';
import { useAction } from '../../app/live-state.js';
import { issuesByField } from '../../forms/schema-issues.js';

/**
 * Saving one section of the settings: the patch is checked against the settings schema first (its
 * issues go next to the fields, keyed by path such as "port" or "model_rules.0.match"), then sent.
 */
export function useSettingsSave(settings: Settings, onSaved: (s: Settings) => void) {
  const client = useControl();
  const action = useAction();
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = async (patch: SettingsPatch) => {
    setSaved(false);
    const candidate = { ...settings, ...patch };
    const check = SettingsSchema.safeParse(candidate);
    if (!check.success) {
      setIssues(issuesByField(check.error.issues, candidate));
      return;
    }
    setIssues({});
    const next = await action.run(() => client.updateSettings(patch));
    if (next) {
      onSaved(next);
      setSaved(true);
    }
  };
  return { save, issues, saved, busy: action.busy, error: action.error, run: action.run };
}
