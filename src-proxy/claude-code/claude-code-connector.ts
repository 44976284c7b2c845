// Connecting Claude Code to the gateway through its settings files, and putting them back. One change at
// a time: the link records and the files they describe are read and written in order.

import { rm, stat } from 'node:fs/promises';
import {
  ControlError,
  type ClaudeCodeConnect,
  type ClaudeCodeConnectResult,
  type ClaudeCodeDisconnectResult,
  type ClaudeCodeStatus,
  type ClaudeCodeTarget,
  type ClaudeModelSlot,
} from '../contract/index.js';
import { SerialQueue } from '../lib/serial-queue.js';
import type { ClaudeLink, ClaudeLinkStore } from './link-store.js';
import {
  applyPlaces,
  BASE_URL_PLACE,
  driftOf,
  MODEL_PLACES,
  readPlace,
  restorePlaces,
  sameSlot,
  wantedPlaces,
  type Places,
  type SettingsDoc,
  type Wanted,
} from './settings-doc.js';
import { formatSettings, readSettingsFile, settingsPath, sha256, writeSettingsFile, type ClaudeHome, type SettingsFile } from './settings-file.js';

export interface ClaudeCodeConnectorDeps {
  links: ClaudeLinkStore;
  home: ClaudeHome;
  /** The gateway as Claude Code should reach it now: its address and, with auth on, its key. */
  wanted(): Wanted;
  /** Told after a file was connected, disconnected or followed the gateway. */
  onChange?(path: string): void;
  now?: () => number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The model slots a link set, so that connecting again or following the gateway keeps them. */
function modelsOf(written: Places): Partial<Record<ClaudeModelSlot, string>> {
  const models: Partial<Record<ClaudeModelSlot, string>> = {};
  for (const [slot, place] of Object.entries(MODEL_PLACES) as Array<[ClaudeModelSlot, string]>) {
    const v = written[place];
    if (v && typeof v.value === 'string') models[slot] = v.value;
  }
  return models;
}

export class ClaudeCodeConnector {
  private readonly queue = new SerialQueue();
  private readonly now: () => number;

  constructor(private readonly deps: ClaudeCodeConnectorDeps) {
    this.now = deps.now ?? Date.now;
  }

  status(target: ClaudeCodeTarget): Promise<ClaudeCodeStatus> {
    return this.queue.run(async () => {
      const path = settingsPath(target, this.deps.home);
      const links = await this.deps.links.load();
      return this.describe(await readSettingsFile(path), links);
    });
  }

  connect(req: ClaudeCodeConnect): Promise<ClaudeCodeConnectResult> {
    return this.queue.run(async () => {
      if (req.project_dir !== undefined) await requireFolder(req.project_dir);
      const gateway = this.deps.wanted();
      if (gateway.key === '') {
        throw new ControlError(
          'invalid_argument',
          'Authentication is on but the gateway has no key, so Claude Code would be refused: set one first (Settings, or switchyard config set api_key KEY).',
        );
      }
      const path = settingsPath(req, this.deps.home);
      const file = await readSettingsFile(path);
      const links = await this.deps.links.load();
      const found = links.find((l) => l.settings_file === path);
      // A link whose file was removed since describes nothing that is still there: start afresh.
      const existing = found && file.bytes !== null ? found : undefined;
      const doc = file.doc ?? {};
      const wanted = wantedPlaces({ ...gateway, models: { ...(existing ? modelsOf(existing.written) : {}), ...req.models } });
      const { doc: next, before } = applyPlaces(doc, wanted);
      const text = formatSettings(next, file.bytes);
      const link: ClaudeLink = existing ? this.relink(existing, file, doc, wanted) : this.newLink(file, doc, before, wanted);
      link.written_sha256 = sha256(text);

      // The record first: a file written without it could not be put back.
      const others = links.filter((l) => l.settings_file !== path);
      await this.deps.links.save([...others, link]);
      if (file.bytes === null || text !== file.bytes.toString('utf8')) {
        try {
          await writeSettingsFile(path, text, file.mode);
        } catch (err) {
          await this.deps.links.save(links).catch(() => undefined);
          throw new ControlError('invalid_argument', `Cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
        }
      }
      this.deps.onChange?.(path);
      const status = this.describe(await readSettingsFile(path), [...others, link]);
      return { status, already_linked: existing !== undefined, created: file.bytes === null };
    });
  }

  disconnect(target: ClaudeCodeTarget): Promise<ClaudeCodeDisconnectResult> {
    return this.queue.run(async () => {
      const path = settingsPath(target, this.deps.home);
      const file = await readSettingsFile(path);
      const links = await this.deps.links.load();
      const link = links.find((l) => l.settings_file === path);
      if (!link) return { status: this.describe(file, links), restored: 'not_linked', kept: [] };
      const others = links.filter((l) => l !== link);

      let restored: ClaudeCodeDisconnectResult['restored'];
      let kept: string[] = [];
      if (file.bytes === null) {
        restored = 'file_gone';
      } else if (sha256(file.bytes) === link.written_sha256 && link.original.state !== 'changed') {
        // Nothing else touched it: it goes back exactly as it was.
        if (link.original.state === 'absent') await rm(path, { force: true });
        else await writeSettingsFile(path, Buffer.from(link.original.bytes, 'base64'), link.original.mode);
        restored = 'file';
      } else {
        const back = restorePlaces(file.doc ?? {}, link.previous, link.written, link.had_env);
        await writeSettingsFile(path, formatSettings(back.doc, file.bytes), file.mode);
        restored = 'keys';
        kept = back.kept;
      }
      await this.deps.links.save(others);
      this.deps.onChange?.(path);
      return { status: this.describe(await readSettingsFile(path), others), restored, kept };
    });
  }

  /**
   * Brings every connected file in line with the gateway after its port or key changed. A file that no
   * longer points where Switchyard pointed it was changed by someone on purpose, and is left alone.
   */
  follow(): Promise<void> {
    return this.queue.run(async () => {
      const links = await this.deps.links.load();
      if (links.length === 0) return;
      const gateway = this.deps.wanted();
      for (const link of links) {
        let file: SettingsFile;
        try {
          file = await readSettingsFile(link.settings_file);
        } catch {
          continue;
        }
        if (file.bytes === null || file.doc === null) continue;
        if (!sameSlot(readPlace(file.doc, BASE_URL_PLACE), link.written[BASE_URL_PLACE] ?? null)) continue;
        const wanted = wantedPlaces({ ...gateway, models: modelsOf(link.written) });
        if (Object.entries(wanted).every(([place, slot]) => sameSlot(readPlace(file.doc!, place), slot))) continue;
        const text = formatSettings(applyPlaces(file.doc, wanted).doc, file.bytes);
        if (sha256(file.bytes) !== link.written_sha256) link.original = { state: 'changed' };
        link.written = wanted;
        link.written_sha256 = sha256(text);
        // The record first, as in connect.
        await this.deps.links.save(links);
        await writeSettingsFile(link.settings_file, text, file.mode);
        this.deps.onChange?.(link.settings_file);
      }
    });
  }

  /** Resolves once every change asked for so far is done. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private newLink(file: SettingsFile, doc: SettingsDoc, before: Places, wanted: Places): ClaudeLink {
    return {
      settings_file: file.path,
      connected_at: this.now(),
      original: file.bytes === null ? { state: 'absent' } : { state: 'file', bytes: file.bytes.toString('base64'), mode: file.mode ?? 0o600 },
      had_env: isObject(doc.env),
      previous: before,
      written: wanted,
      written_sha256: '',
    };
  }

  /**
   * Connecting a linked file again keeps what it held before the first connect: a place that still holds
   * what Switchyard wrote keeps its recorded previous value; one another program changed since holds
   * that program's newer choice, which is what disconnect should then put back.
   */
  private relink(link: ClaudeLink, file: SettingsFile, doc: SettingsDoc, wanted: Places): ClaudeLink {
    const previous: Places = {};
    for (const place of new Set([...Object.keys(link.written), ...Object.keys(wanted)])) {
      const now = readPlace(doc, place);
      const ours = link.written[place];
      previous[place] = ours !== undefined && sameSlot(now, ours) ? (link.previous[place] ?? null) : now;
    }
    const untouched = file.bytes !== null && sha256(file.bytes) === link.written_sha256;
    return { ...link, original: untouched ? link.original : { state: 'changed' }, previous, written: wanted };
  }

  private describe(file: SettingsFile, links: readonly ClaudeLink[]): ClaudeCodeStatus {
    const gateway = this.deps.wanted();
    const drift = driftOf(file.doc, gateway);
    const base = file.doc ? readPlace(file.doc, BASE_URL_PLACE) : null;
    return {
      settings_file: file.path,
      exists: file.bytes !== null,
      connected: drift.length === 0,
      linked: links.some((l) => l.settings_file === file.path),
      drift,
      base_url: base !== null && typeof base.value === 'string' ? base.value : null,
      gateway_url: gateway.baseUrl,
    };
  }
}

async function requireFolder(dir: string): Promise<void> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new ControlError('invalid_argument', `There is no folder ${dir}.`);
}
