// CloudFront Function (cloudfront-js-2.0), viewer request, site behaviour only (never /api/*).
// MkDocs writes every page as <dir>/index.html and links to "<dir>/": S3 has no directory index, so
//   "/paris-2017/"  -> fetch "/paris-2017/index.html"
//   "/paris-2017"   -> 301 to "/paris-2017/" (relative links in MkDocs pages only work with the trailing slash)
//   "/assets/x.css" -> unchanged (the last segment has a dot)
// Leading slashes are collapsed first, so that "//evil.example" can never become a protocol-relative redirect.
function handler(event) {
  var request = event.request;
  var uri = '/' + request.uri.replace(/^\/+/, '');
  if (uri.charAt(uri.length - 1) === '/') {
    request.uri = uri + 'index.html';
    return request;
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') !== -1) {
    request.uri = uri;
    return request;
  }
  var query = encodeQuery(request.querystring);
  return {
    statusCode: 301,
    statusDescription: 'Moved Permanently',
    headers: {
      location: { value: uri + '/' + (query ? '?' + query : '') },
      'cache-control': { value: 'public, max-age=3600' },
    },
  };
}

// The query string as received (CloudFront hands values over still URL-encoded).
function encodeQuery(querystring) {
  var parts = [];
  for (var name in querystring) {
    var param = querystring[name];
    var values = param.multiValue ? param.multiValue : [param];
    for (var i = 0; i < values.length; i++) {
      parts.push(values[i].value === '' ? name : name + '=' + values[i].value);
    }
  }
  return parts.join('&');
}
