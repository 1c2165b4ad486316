/**
 * @module Whether a grant or a break-glass episode may name a site. Policy sits below the clinic
 * model, so it names the question and the clinic's site registry answers it (the kernel wires it):
 * a site code with no site record is refused once any site is configured (SITE_UNKNOWN).
 */

export interface SiteCheck {
  /** Resolves when `site` may be named; throws a UserError (SITE_UNKNOWN) when it may not. */
  assertUsable(site: string): Promise<void>;
}

/** No site registry (stores used only by the decision point, test kits): every site code passes. */
export const anySite: SiteCheck = { assertUsable: () => Promise.resolve() };
