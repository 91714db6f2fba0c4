import './DevelopmentBanner.css';

/** Shown on every page (GraphiQL and sign-in included) while the API runs in development mode. */
export const developmentBannerText = 'Development identity: unverified, anyone on this machine can act as any tenant';

export const DevelopmentBanner = () => (
  <div className="dev-banner" role="note" data-testid="dev-banner">
    <strong aria-hidden="true">⚠</strong> {developmentBannerText}
  </div>
);
