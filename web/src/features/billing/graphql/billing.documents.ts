import { graphql } from '../../../gql';

/** The tenant's balances, its top-ups and its auto-reload setting (any role reads them). */
export const billingQuery = graphql(`
  query Billing {
    billing {
      topUpsConfigured
      topUpMinUsd
      topUpMaxUsd
      topUps {
        id
        amountUsd
        status
        createdAt
        paidAt
      }
      autoReload {
        ...AutoReloadFields
      }
    }
    budget {
      leftUsd
      reservedUsd
      spentUsd
      fundedUsd
    }
  }
`);

/** A Stripe Checkout page for a top-up (owners); the browser goes to its `url`. */
export const createTopUpCheckoutMutation = graphql(`
  mutation CreateTopUpCheckout($amountUsd: Float!) {
    createTopUpCheckout(amountUsd: $amountUsd) {
      sessionId
      url
      amountUsd
    }
  }
`);

/** Turns automatic reloads on or off (owners; on needs a card saved by a paid top-up). */
export const setAutoReloadMutation = graphql(`
  mutation SetAutoReload($enabled: Boolean!, $thresholdUsd: Float!, $amountUsd: Float!) {
    setAutoReload(enabled: $enabled, thresholdUsd: $thresholdUsd, amountUsd: $amountUsd) {
      enabled
      thresholdUsd
      amountUsd
      cardSaved
      lastFailure
    }
  }
`);

/** What the budget was charged per UTC day over [from, to). */
export const billingUsageQuery = graphql(`
  query BillingUsage($from: DateTime!, $to: DateTime!) {
    usage(from: $from, to: $to, groupBy: [DAY]) {
      totalUsd
      totalTokens
      rows {
        day
        usd
        tokens
      }
    }
  }
`);
