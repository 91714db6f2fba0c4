/** A small valid model plan, and ways to break it, for the planning tests. */
export const validPlan = () => ({
  tasks: [
    {
      key: 'design-cli',
      description: 'Design the CLI flags',
      role: 'ux_ui',
      businessValue: 8,
      tokensPlan: 4,
      purposeRelevance: 0.9,
    },
    {
      key: 'parse-csv',
      description: 'Parse CSV input',
      role: 'dev',
      businessValue: 8,
      tokensPlan: 6,
      purposeRelevance: 1,
    },
    {
      key: 'unit-tests',
      description: 'Unit tests for parsing',
      role: 'qa',
      businessValue: 6,
      tokensPlan: 5,
      purposeRelevance: 0.8,
    },
    {
      key: 'metrics',
      description: 'Count converted rows',
      role: 'telemetry',
      businessValue: 3,
      tokensPlan: 2,
      purposeRelevance: 0.4,
    },
  ],
  dependencies: [
    { from: 'parse-csv', to: 'design-cli' },
    { from: 'unit-tests', to: 'parse-csv' },
    { from: 'metrics', to: 'parse-csv' },
  ],
});

export const validPlanJson = (): string => JSON.stringify(validPlan());
