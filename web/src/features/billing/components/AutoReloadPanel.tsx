import { useState } from 'react';
import { type FragmentType, getFragmentData, graphql } from '../../../gql';
import { formatUsd } from '../../../ui/format';
import type { TopUpLimits } from '../top-up-amount';
import { AutoReloadForm } from './AutoReloadForm';
import '../../../ui/notice.css';

export const AutoReloadFields = graphql(`
  fragment AutoReloadFields on AutoReload {
    enabled
    thresholdUsd
    amountUsd
    cardSaved
    lastFailure
  }
`);

/** Automatic reloads: owners set them, everyone else reads what is set. */
export const AutoReloadPanel = ({
  autoReload: ref,
  canChange,
  limits,
  onSaved,
}: {
  autoReload: FragmentType<typeof AutoReloadFields>;
  canChange: boolean;
  limits: TopUpLimits;
  onSaved: () => void;
}) => {
  const autoReload = getFragmentData(AutoReloadFields, ref);
  // Kept here: a save remounts the form (below), which must still say it saved.
  const [justSaved, setJustSaved] = useState(false);
  const { enabled, thresholdUsd, amountUsd, cardSaved, lastFailure } = autoReload;
  return (
    <>
      <p data-testid="billing-auto-reload-state">
        {enabled
          ? `On: ${formatUsd(amountUsd)} is charged to the saved card when less than ${formatUsd(thresholdUsd)} is left.`
          : 'Off.'}{' '}
        {cardSaved ? 'A card is saved from a paid top-up.' : 'No card saved yet: one paid top-up saves it.'}
      </p>
      {lastFailure ? (
        <p className="notice notice-warning" data-testid="billing-auto-reload-failure">
          The last reload failed: {lastFailure}. Auto-reload stays off until an owner turns it on again.
        </p>
      ) : null}
      {canChange ? (
        // Remounted when the saved setting changes, so the fields start from what the API holds.
        <AutoReloadForm
          key={`${enabled}:${thresholdUsd}:${amountUsd}`}
          saved={autoReload}
          limits={limits}
          justSaved={justSaved}
          onSaved={() => {
            setJustSaved(true);
            onSaved();
          }}
        />
      ) : null}
    </>
  );
};
