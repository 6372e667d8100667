/**
 * Where the built widget is, from the project root: written by
 * scripts/build-widget.ts, served by app/widget.js/route.ts, copied into the
 * image by the Dockerfile. Git and Docker's context leave it out: it is made
 * again by every build.
 */
export const widgetBundleFile = "widget/dist/widget.js";
