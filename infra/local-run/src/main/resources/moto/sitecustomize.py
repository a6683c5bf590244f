# Loaded by moto_server's Python at start-up (pacer puts this folder on PYTHONPATH).
#
# moto_server serves requests on many threads, and its DynamoDB backend does not lock: two concurrent
# conditional writes to one item can both pass their condition, which real DynamoDB never allows.
# pacer's claims, idempotency keys and quota reservations rely on exactly that guarantee, so here every
# DynamoDB action runs under one lock. SQS and S3 stay concurrent (SQS long polls must not block others).
import threading

try:
    from moto.dynamodb.responses import DynamoHandler

    _lock = threading.Lock()
    _call_action = DynamoHandler.call_action

    def _serialised_call_action(self):
        with _lock:
            return _call_action(self)

    DynamoHandler.call_action = _serialised_call_action
except Exception as error:  # a moto without this handler: run it as it is, but say so
    import sys
    print("pacer: could not serialise moto's DynamoDB actions: %r" % (error,), file=sys.stderr)


# Once IAM is enforced (POST /moto-api/reset-auth), moto checks each request's SigV4 signature by computing it again.
# It refuses two kinds of request that AWS accepts, so they are fixed here:
# - It signs the query string as its web framework hands it back, with "%2F" decoded to "/". An S3 list with a
#   prefix such as "generations/" then fails with SignatureDoesNotMatch. The query is put back in canonical form.
# - A presigned URL carries its credential and signature in the query string and has no Authorization header,
#   which moto does not expect (it answers 500). Here its SigV4 query signature and expiry are checked the way S3
#   checks them; then the action is authorised as for any other request of that key.
import datetime
import hashlib
import hmac
from urllib.parse import parse_qsl, quote, unquote, urlsplit

try:
    from moto.iam.access_control import IAMRequestBase

    def _aws_quote(text):
        return quote(text, safe="-_.~")

    def _canonical_query(query, leave_out=()):
        pairs = []
        for pair in query.split("&") if query else []:
            key, _, value = pair.partition("=")
            key, value = unquote(key), unquote(value)
            if key not in leave_out:
                pairs.append((_aws_quote(key), _aws_quote(value)))
        return "&".join(key + "=" + value for key, value in sorted(pairs))

    _create_aws_request = IAMRequestBase._create_aws_request

    def _create_aws_request_with_canonical_query(self):
        request = _create_aws_request(self)
        parts = urlsplit(request.url)
        if parts.query:
            request.url = parts.path + "?" + _canonical_query(parts.query)
        return request

    _init = IAMRequestBase.__init__

    def _init_accepting_presigned_urls(self, account_id, method, path, data, body, headers, action):
        query = dict(parse_qsl(urlsplit(path).query, keep_blank_values=True))
        self._presigned = "Authorization" not in headers and "X-Amz-Credential" in query
        if self._presigned:
            # moto reads the access key from the Authorization header: give it one made of the query's parts
            headers = dict(headers)
            headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s" % (
                query["X-Amz-Credential"], query.get("X-Amz-SignedHeaders", "host"), query.get("X-Amz-Signature", ""))
        _init(self, account_id, method, path, data, body, headers, action)

    _check_signature = IAMRequestBase.check_signature

    def _check_signature_or_presigned_url(self):
        if not self._presigned:
            return _check_signature(self)
        parts = urlsplit(self._path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        signed_headers = query.get("X-Amz-SignedHeaders", "host").split(";")
        headers = {name.lower(): value for name, value in self._headers.items()}
        canonical_request = "\n".join([
            self._method,
            quote(unquote(parts.path), safe="/-_.~"),
            _canonical_query(parts.query, leave_out=("X-Amz-Signature",)),
            "".join(name + ":" + headers.get(name, "").strip() + "\n" for name in signed_headers),
            ";".join(signed_headers),
            "UNSIGNED-PAYLOAD",
        ])
        scope = query["X-Amz-Credential"].split("/", 1)[1]
        string_to_sign = "\n".join(["AWS4-HMAC-SHA256", query.get("X-Amz-Date", ""), scope,
                                    hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
        key = ("AWS4" + self._access_key.create_credentials().secret_key).encode("utf-8")
        for part in scope.split("/"):
            key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
        expected = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, query.get("X-Amz-Signature", "")):
            self._raise_signature_does_not_match()
        signed_at = datetime.datetime.strptime(query.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ")
        expires_at = signed_at + datetime.timedelta(seconds=int(query.get("X-Amz-Expires", "0")))
        if datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) > expires_at:
            self._raise_access_denied()

    IAMRequestBase._create_aws_request = _create_aws_request_with_canonical_query
    IAMRequestBase.__init__ = _init_accepting_presigned_urls
    IAMRequestBase.check_signature = _check_signature_or_presigned_url
except Exception as error:  # a moto without these classes: IAM checks may refuse presigned URLs and S3 prefixes
    import sys
    print("pacer: could not patch moto's signature checks: %r" % (error,), file=sys.stderr)


# moto refuses a request it may not take with an XML error body, even to the JSON services (DynamoDB, SQS), whose
# SDK clients then report only "HTTP status code 403". Here such a refusal is sent as those services send it: JSON
# with the error type their clients know, so a function's log says which action its role lacks.
try:
    from moto.core.authorization import ActionAuthenticatorMixin
    from moto.core.exceptions import JsonRESTError, _RESTError

    _JSON_ERROR_TYPES = {"AccessDenied": "AccessDeniedException", "InvalidClientTokenId": "UnrecognizedClientException"}

    _authorize = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action

    def _authorize_answering_json_services_in_json(self, resource="*"):
        try:
            _authorize(self, resource)
        except _RESTError as error:
            content_type = self.headers.get("Content-Type", "") or ""
            if isinstance(error, JsonRESTError) or not content_type.startswith("application/x-amz-json"):
                raise
            answer = JsonRESTError(_JSON_ERROR_TYPES.get(error.error_type, error.error_type), error.message)
            answer.code = error.code
            raise answer from error

    ActionAuthenticatorMixin._authenticate_and_authorize_normal_action = _authorize_answering_json_services_in_json
except Exception as error:  # a moto without these classes: refusals stay XML
    import sys
    print("pacer: could not patch moto's refusals to JSON services: %r" % (error,), file=sys.stderr)
