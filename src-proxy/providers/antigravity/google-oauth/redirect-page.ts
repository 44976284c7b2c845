// The page the browser shows when Google sends it back to this machine: whether the sign-in worked
// and as whom, or what went wrong, in words a user can act on. Self-contained: no script, no remote
// resource, nothing the page could leak.

export type RedirectOutcome = { ok: true; email: string } | { ok: false; title: string; detail: string };

export interface RedirectPage {
  status: number;
  html: string;
}

export function redirectPage(outcome: RedirectOutcome, status = outcome.ok ? 200 : 400): RedirectPage {
  const [title, detail] = outcome.ok
    ? [`Signed in as ${outcome.email}`, 'Switchyard has added the account. You can close this tab.']
    : [outcome.title, outcome.detail];
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard: ${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#222}h1{font-size:1.4em}.ok{color:#1a7f37}.fail{color:#b42318}</style>
</head><body><h1 class="${outcome.ok ? 'ok' : 'fail'}">${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>
`;
  return { status, html };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
