/**
 * The buttons at the end of an editable row: up and down when the order matters, then Remove. `name`
 * is the row as the labels say it ("rule 2", "price 1"), so a screen reader hears "Move rule 2 up".
 */
export function RowButtons({
  name,
  index,
  count,
  onMove,
  onRemove,
  removable = true,
}: {
  name: string;
  index: number;
  count: number;
  onMove?: (by: number) => void;
  onRemove(): void;
  removable?: boolean;
}) {
  return (
    <>
      {onMove && (
        <>
          <button type="button" className="button small" aria-label={`Move ${name} up`} disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" className="button small" aria-label={`Move ${name} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓
          </button>
        </>
      )}
      <button type="button" className="button small danger-outline" aria-label={`Remove ${name}`} disabled={!removable} onClick={onRemove}>
        Remove
      </button>
    </>
  );
}
