/**
 * Imported first by the bench: the AWS SDK prints a notice about Node 20 at import, which would
 * land in the middle of the report. The consumers get the same variable through their environment.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
