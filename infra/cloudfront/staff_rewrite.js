// CloudFront Function (cloudfront-js-2.0), viewer request, staff console behaviour (/staff/*) only.
// The console is on the site's origin at /staff/; API Gateway serves it at /api/console (its stage is "api"):
//   "/staff/"               -> "/api/console"
//   "/staff/programs/paris" -> "/api/console/programs/paris"
// The query string and cookies are left as they are.
function handler(event) {
  var request = event.request;
  var rest = request.uri.substring('/staff'.length);
  request.uri = '/api/console' + (rest === '/' || rest === '' ? '' : rest);
  return request;
}
