import { graphql } from '../../../gql';

/** What the dashboard reads besides the live store: the forecast and the inspector's figures. */
export const dashboardSummaryQuery = graphql(`
  query DashboardSummary {
    budgetForecast {
      ...BudgetForecastFields
    }
    inspection {
      ...AlertsFields
      ...InspectionFigures
    }
  }
`);

export const topUpBudgetMutation = graphql(`
  mutation TopUpBudget($amountUsd: Float!) {
    topUpBudget(amountUsd: $amountUsd) {
      leftUsd
      fundedUsd
    }
  }
`);
