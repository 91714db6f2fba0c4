import './Meter.css';

export interface MeterProps {
  readonly label: string;
  /** 0..1; values outside are clamped for the bar, not for the text. */
  readonly value: number;
  readonly valueText: string;
  readonly color?: string;
}

/** A labelled horizontal bar; the text says it all, the bar is decoration. */
export const Meter = ({ label, value, valueText, color }: MeterProps) => {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  return (
    <div className="meter">
      <div className="meter-label">
        <span>{label}</span>
        <span>{valueText}</span>
      </div>
      <div className="meter-track" aria-hidden="true">
        <div className="meter-fill" style={{ width: `${clamped * 100}%`, background: color }} />
      </div>
    </div>
  );
};
