export { admissionOrder, admissionRank, plannedCost, rankForAdmission } from './admission';
export { forecast } from './forecast';
export { inspect } from './inspect';
export type {
  CriticalPath,
  Forecast,
  ForecastInput,
  InspectedTask,
  Inspection,
  LongestChainByCount,
  LongestChainByTokens,
} from './inspection.types';
