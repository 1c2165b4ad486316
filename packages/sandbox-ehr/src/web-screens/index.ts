/** @module The sandbox's browser EHR: sign-in, patient search and chart, tasks, schedule and encounter notes in three clinic variants. */
export { WebScreens } from './web-screens.js';
export type { WebScreensOptions } from './web-screens.js';
export type { WebUser } from './web-sessions.js';
export { totpCode, verifyTotp } from './totp.js';
export { variants } from './variants.js';
export type { Variant, LabelKey, DateFormat } from './variants.js';
export { formatDate, parseDate } from './dates.js';
export { mrnSystem, personIdSystem, externalReferenceSystem } from './screen-kit.js';
export { specialtySystem, visitLengthSystem } from './note-screens.js';
