import './TokenRing.css';

export interface TokenRingProps {
  readonly size: number;
  readonly stroke: number;
  readonly used: number;
  readonly planned: number;
}

/** An arc around the node: tokens used against tokens planned (full and red when over plan). */
export const TokenRing = ({ size, stroke, used, planned }: TokenRingProps) => {
  const radius = (size - stroke) / 2;
  const circumference = 2 * Math.PI * radius;
  const ratio = planned > 0 ? used / planned : used > 0 ? 1 : 0;
  const over = ratio > 1;
  const shown = Math.min(1, Math.max(0, ratio));
  return (
    <g className="token-ring">
      <circle cx={size / 2} cy={size / 2} r={radius} fill="none" strokeWidth={stroke} className="token-ring-track" />
      {shown > 0 ? (
        <circle
          cx={size / 2}
          cy={size / 2}
          r={radius}
          fill="none"
          strokeWidth={stroke}
          strokeLinecap={shown < 1 ? 'round' : 'butt'}
          strokeDasharray={`${shown * circumference} ${circumference}`}
          transform={`rotate(-90 ${size / 2} ${size / 2})`}
          className={over ? 'token-ring-arc token-ring-over' : 'token-ring-arc'}
        />
      ) : null}
    </g>
  );
};
