import { findPrice, isUnpriced, priceTable, type RequestLogEntry } from '../../../src-proxy/contract/index.js';
import { useSettings } from '../../app/live-state.js';
import { formatUsd } from '../../format/format.js';
import { priceText } from '../../wording/cost.js';
import { formatCount, formatDateTimeSeconds, formatMs } from '../../format/format.js';
import { describeFailure } from '../../wording/errors.js';
import { KIND_LABELS } from '../../wording/option-labels.js';
import { modelText } from './RequestTable.js';
import { RouteFacts } from './RouteFacts.js';

export function RequestDetail({ entry: e, onClose }: { entry: RequestLogEntry; onClose(): void }) {
  const tokens = (n: number | null) => (n === null ? '–' : formatCount(n));
  return (
    <aside className="card detail" aria-label="Request detail">
      <div className="card-head">
        <h2>
          {e.method} {e.path} · {e.status}
        </h2>
        <button type="button" className="button small" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{formatDateTimeSeconds(e.time)}</dd>
        <dt>Model</dt>
        <dd className="mono">{modelText(e)}</dd>
        <dt>Account</dt>
        <dd>
          {e.account_label ?? '–'}
          {e.provider ? ` (${KIND_LABELS[e.provider]})` : ''}
        </dd>
        {e.instance ? (
          <>
            <dt>Gateway</dt>
            <dd>{e.instance}</dd>
          </>
        ) : null}
        <dt>Answer</dt>
        <dd>
          {e.stream ? 'streamed' : 'JSON'}
          {e.local ? `, answered locally (${e.local === 'warmup' ? 'warmup request' : 'token estimate'})` : ''}
          {e.stop_reason ? `, stop reason ${e.stop_reason}` : ''}
          {e.client_aborted ? ', the client went away before the end' : ''}
        </dd>
        <dt>Latency</dt>
        <dd>
          {formatMs(e.latency_ms)} total{e.ttfb_ms !== null ? `, first byte after ${formatMs(e.ttfb_ms)}` : ''}
        </dd>
        <dt>Tokens</dt>
        <dd>
          {e.input_tokens === null && e.output_tokens === null ? 'none reported' : `${tokens(e.input_tokens)} in, ${tokens(e.output_tokens)} out`}
          {e.cache_read_input_tokens ? `, ${formatCount(e.cache_read_input_tokens)} read from cache` : ''}
          {e.cache_creation_input_tokens ? `, ${formatCount(e.cache_creation_input_tokens)} written to cache` : ''}
        </dd>
        {e.route === 'messages' && e.local === null && (
          <>
            <dt>Cost</dt>
            <dd>
              <CostFacts entry={e} />
            </dd>
          </>
        )}
        {e.error_message && (
          <>
            <dt>Error</dt>
            <dd className="error-text">
              {e.error_type ? `${e.error_type}: ` : ''}
              {e.error_message}
            </dd>
          </>
        )}
      </dl>
      <RouteFacts entry={e} />
      <h3>Attempts</h3>
      {e.attempts.length === 0 ? (
        <p className="muted">No upstream was tried.</p>
      ) : (
        <ol className="attempts">
          {e.attempts.map((a, i) => (
            <li key={i}>
              <strong>{a.account_label}</strong> · {a.status ?? 'no answer'} · {formatMs(a.latency_ms)}
              {a.failure === null ? (
                <span className="ok-text"> · served</span>
              ) : (
                <span className="error-text">
                  {' '}
                  · {describeFailure(a.failure)}
                  {a.message ? `: ${a.message}` : ''}
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}

/** The cost and the price it was taken at, and what the requested model would have cost when it was mapped. */
function CostFacts({ entry: e }: { entry: RequestLogEntry }) {
  const settings = useSettings().value;
  const table = settings ? priceTable(settings.model_prices) : null;
  const price = e.priced_as && table ? findPrice(e.priced_as, table) : null;
  const served = e.mapped_model ?? e.inbound_model ?? '';
  return (
    <>
      {e.cost_usd !== null ? (
        <>
          <strong>{formatUsd(e.cost_usd)}</strong>
          <span className="muted">
            {' '}
            at the price of {e.priced_as}
            {price ? ` (${priceText(price)})` : ''}
          </span>
        </>
      ) : isUnpriced(e) ? (
        <>
          no price for <span className="mono">{served}</span>: add one in Settings, Prices
        </>
      ) : (
        'nothing charged: no tokens were reported'
      )}
      {e.requested_cost_usd !== null && e.inbound_model && (
        <div className="muted">
          {formatUsd(e.requested_cost_usd)} at the list price of the requested <span className="mono">{e.inbound_model}</span>
        </div>
      )}
    </>
  );
}
