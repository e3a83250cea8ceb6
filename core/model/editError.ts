/**
 * An edit that cannot be made, with a message for the user ("there is no domain … to put
 * product … in; create the domain first"). In model/, not edits/: the blueprints throw it too
 * and edits/ builds on blueprints/, so both import it from here and neither folder imports
 * the other back.
 */
export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}
