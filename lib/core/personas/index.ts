/** Public surface of the persona step: fit on a sample, assign every session (SQL or JS), summarise. */
export { fitPersonas, type FitPersonasOptions } from './fit-personas';
export { assignSession, assignColumns, type FeatureRow } from './assign';
export { assignPersonasSql, personaStatsSql, standardisedFeaturesSql, transformedFeatureSql } from './assign-sql';
export { summarisePersonas, personaStatsFromRows, type PersonaStats } from './summarise-personas';
export { OUTLIER_PERSONA, type PersonaFit, type FittedPersona } from './persona-fit';
export { BOT_PERSONA, botConditionSql, isBotSession } from './label-bots';
export { machineUserAgentSql, isMachineUserAgent } from './machine-ua';
export { FEATURE_SPECS, type FeatureColumns, type FeatureSpec } from './feature-space';
export { PERSONAS_DEFAULTS, type PersonasConfig, type NamingThresholds } from './persona-config';
export { adjustedRandIndex } from './ari';
