import type { RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { describeNote, linkName, linkOutcome } from '../../wording/route.js';

/**
 * Which link of the rule's chain served the request and what became of the others (skipped, failed, and
 * why), and what the gateway changed about the request so that upstream would take it.
 */
export function RouteFacts({ entry: e }: { entry: RequestLogEntry }) {
  return (
    <>
      {e.links.length > 1 && (
        <>
          <h3>Route</h3>
          <ol className="attempts" aria-label="Route">
            {e.links.map((l, i) => (
              <li key={i}>
                <span className="mono">{linkName(l)}</span>
                <span className={l.outcome === 'served' ? 'ok-text' : l.outcome === 'not_reached' ? 'muted' : 'error-text'}> · {linkOutcome(l)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {e.notes.length > 0 && (
        <>
          <h3>Changed on the way</h3>
          <ul aria-label="Changed on the way">
            {e.notes.map((n) => (
              <li key={n}>{describeNote(n)}</li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
