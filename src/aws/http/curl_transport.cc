// The Transport that sends requests over the network, through libcurl.
//
// One Send():
//   1. take an easy handle from the idle pool (or make one) and curl_easy_reset() it, which clears
//      every option but keeps the handle's live connections, so the next request to the same host
//      reuses a kept-alive connection;
//   2. set the options for this request from scratch;
//   3. curl_easy_perform(), collecting headers and body through callbacks;
//   4. give the handle back (the pool keeps at most kMaxIdleHandles) and map curl's result.
#include "aws/http/curl_transport.h"

#include <curl/curl.h>

#include <mutex>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "base/strings.h"

namespace cordon::aws {

// Outside the anonymous namespace because CurlTransport::State, declared in the header, holds it:
// GCC rejects a member of internal-linkage type there once this file is part of a unity build
// (-Wsubobject-linkage), as scripts/test.sh builds it.
namespace curl_detail {

struct EasyHandle {
  CURL* curl = nullptr;
  char error[CURL_ERROR_SIZE] = {};

  EasyHandle() : curl(curl_easy_init()) {}
  ~EasyHandle() {
    if (curl) curl_easy_cleanup(curl);
  }
  EasyHandle(const EasyHandle&) = delete;
  EasyHandle& operator=(const EasyHandle&) = delete;
};

}  // namespace curl_detail
using curl_detail::EasyHandle;

namespace {

// Idle handles kept for reuse, each with its connections. More concurrent calls than this still
// work; the extra handles are closed when they come back.
constexpr size_t kMaxIdleHandles = 64;

void GlobalInitOnce() {
  static std::once_flag once;
  // curl_global_init is not thread-safe on every platform and must run before any other curl call.
  // It is never undone: the transport may be used until the process exits.
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// What the callbacks of one transfer write into.
struct Transfer {
  CURL* curl = nullptr;
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  bool decided = false;  // whether `stream` has been worked out (on the first body bytes)
  bool stream = false;   // body goes to request->body_sink
  bool sink_stopped = false;
  size_t max_body = 0;
  bool body_too_large = false;
};

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  HttpHeaders& headers = t->response->headers;
  if (StartsWith(line, "HTTP/")) {
    // A new status line: an interim (1xx) response came before, and its headers are not wanted.
    headers.entries.clear();
  } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
    // An obsolete folded continuation of the previous header's value (RFC 9112 section 5.2).
    if (!headers.entries.empty()) {
      headers.entries.back().second += ' ';
      headers.entries.back().second += Trim(line);
    }
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    headers.Add(std::string(line.substr(0, colon)), std::string(Trim(line.substr(colon + 1))));
  }
  return n;
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (!t->decided) {
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    t->stream = t->request->body_sink && status >= 200 && status <= 299;
    t->decided = true;
  }
  if (!t->stream) {
    if (t->response->body.size() + n > t->max_body) {
      t->body_too_large = true;
      return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    t->response->body.append(data, n);
    return n;
  }
  if (!t->request->body_sink(std::string_view(data, n))) {
    t->sink_stopped = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  return n;
}

// "host:port" of a URL, for messages; the URL itself when curl cannot parse it.
std::string HostPort(const std::string& url) {
  std::string out = url;
  CURLU* u = curl_url();
  if (u && curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* host = nullptr;
    char* port = nullptr;
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      out = std::string(host) + ":" + port;
    }
    curl_free(host);
    curl_free(port);
  }
  curl_url_cleanup(u);
  return out;
}

Error TransferError(CURLcode rc, const EasyHandle& handle, const Transfer& transfer, const std::string& url) {
  std::string where = HostPort(url);
  std::string reason = handle.error[0] ? std::string(handle.error) : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return Error{ErrorKind::kNetwork, "cannot resolve host " + where + ": " + reason, "", 0, ""};
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Error{ErrorKind::kNetwork, "cannot resolve the proxy for " + where + ": " + reason, "", 0, ""};
    case CURLE_COULDNT_CONNECT: {
      // The system's reason ("Connection refused") says more than curl's "Couldn't connect".
      long os_errno = 0;
      curl_easy_getinfo(handle.curl, CURLINFO_OS_ERRNO, &os_errno);
      if (os_errno != 0)
        reason = std::error_code(static_cast<int>(os_errno), std::generic_category()).message();
      return Error{ErrorKind::kNetwork, "cannot connect to " + where + ": " + reason, "", 0, ""};
    }
    case CURLE_OPERATION_TIMEDOUT:
      return Error{ErrorKind::kNetwork, "request to " + where + " timed out: " + reason, "", 0, ""};
    // A certificate that is not trusted will not be trusted on the next attempt either (and may be an
    // interception): not retried, and the message says where trust comes from.
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return Error{
          ErrorKind::kService,
          "TLS certificate of " + where + " rejected: " + reason +
              " (the CAs trusted are the system's, or --ca-bundle / AWS_CA_BUNDLE / the profile's ca_bundle)",
          "TlsCertificateRejected", 0, ""};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
      return Error{ErrorKind::kNetwork, "TLS failure with " + where + ": " + reason, "", 0, ""};
    case CURLE_WRITE_ERROR:
      if (transfer.sink_stopped) {
        return Error{ErrorKind::kCancelled, "the response body sink stopped the transfer from " + where, "",
                     0, ""};
      }
      // Not retried: the same endpoint would send the same flood again.
      if (transfer.body_too_large) {
        return Error{ErrorKind::kService,
                     "the response from " + where + " is over " + std::to_string(transfer.max_body >> 20) +
                         " MiB, more than any AWS answer; the transfer was stopped",
                     "ResponseTooLarge", 0, ""};
      }
      break;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error{ErrorKind::kInvalidArgument, "cannot send to " + url + ": " + reason, "", 0, ""};
    case CURLE_OUT_OF_MEMORY:
      return Error{ErrorKind::kInternal, "out of memory sending to " + where, "", 0, ""};
    default:
      break;
  }
  // Resets, partial bodies, empty replies: the exchange broke off.
  return Error{ErrorKind::kNetwork, "request to " + where + " failed: " + reason, "", 0, ""};
}

}  // namespace

struct CurlTransport::State {
  explicit State(HttpOptions o) : options(std::move(o)) {}

  const HttpOptions options;
  CURLSH* share = nullptr;
  std::mutex share_locks[CURL_LOCK_DATA_LAST];

  std::mutex pool_mu;
  std::vector<std::unique_ptr<EasyHandle>> idle;  // guarded by pool_mu; most recently used last

  std::unique_ptr<EasyHandle> Checkout() {
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (!idle.empty()) {
        std::unique_ptr<EasyHandle> h = std::move(idle.back());
        idle.pop_back();
        return h;
      }
    }
    auto h = std::make_unique<EasyHandle>();
    if (!h->curl) return nullptr;
    return h;
  }

  void Return(std::unique_ptr<EasyHandle> h) {
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (idle.size() < kMaxIdleHandles) idle.push_back(std::move(h));
    }
    // A handle the pool has no room for is closed here, outside the lock.
  }
};

CurlTransport::CurlTransport(HttpOptions options) : state_(std::make_unique<State>(std::move(options))) {
  GlobalInitOnce();
  state_->share = curl_share_init();
  if (state_->share) {
    CURLSH* share = state_->share;
    curl_share_setopt(
        share, CURLSHOPT_LOCKFUNC, +[](CURL*, curl_lock_data data, curl_lock_access, void* user) {
          static_cast<State*>(user)->share_locks[data].lock();
        });
    curl_share_setopt(
        share, CURLSHOPT_UNLOCKFUNC, +[](CURL*, curl_lock_data data, void* user) {
          static_cast<State*>(user)->share_locks[data].unlock();
        });
    curl_share_setopt(share, CURLSHOPT_USERDATA, state_.get());
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
}

CurlTransport::~CurlTransport() {
  // Every easy handle must be gone before the share they use.
  state_->idle.clear();
  if (state_->share) curl_share_cleanup(state_->share);
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  std::unique_ptr<EasyHandle> handle = state_->Checkout();
  if (!handle) return MakeError(ErrorKind::kInternal, "cannot create a libcurl handle");
  CURL* curl = handle->curl;
  curl_easy_reset(curl);
  handle->error[0] = '\0';

  const HttpOptions& options = state_->options;
  HttpResponse response;
  Transfer transfer{curl, &request, &response};
  transfer.max_body = options.max_response_body;

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  // Send the path exactly as signed: S3 keys may hold "./" and "../" segments that curl would squash.
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, handle->error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  if (state_->share) curl_easy_setopt(curl, CURLOPT_SHARE, state_->share);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  // HTTP/1.1 everywhere: AWS endpoints speak it, and it keeps header names as the server sent them.
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()));
  // Less than one byte a second for read_timeout: the stalled-read timeout.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                   std::max(1L, static_cast<long>(options.read_timeout.count() / 1000)));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  if (request.fresh_connection) {
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  }
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_bundle.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);

  // The method and body. A body is sent from the request's own buffer (no copy, binary safe) with an
  // exact Content-Length; POSTFIELDS with CUSTOMREQUEST sends it for any method.
  const std::string& method = request.method;
  const bool has_body = !request.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (has_body) {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    if (method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  } else if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  // Headers. "Name:" removes a header curl would add by itself; "Name;" sends one with no value.
  curl_slist* headers = nullptr;
  bool append_failed = false;
  auto append = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers, line.c_str());
    if (!grown)
      append_failed = true;
    else
      headers = grown;
  };
  for (const auto& [name, value] : request.headers.entries) {
    append(value.empty() ? name + ";" : name + ": " + value);
  }
  for (const char* unwanted : {"Expect", "Accept", "Content-Type"}) {
    if (!request.headers.Find(unwanted)) append(std::string(unwanted) + ":");
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  CURLcode rc = append_failed ? CURLE_OUT_OF_MEMORY : curl_easy_perform(curl);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  // Detach the header list before freeing it: the handle outlives this call.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);

  if (rc != CURLE_OK) {
    Error error = TransferError(rc, *handle, transfer, request.url);
    state_->Return(std::move(handle));
    return MakeError(std::move(error));
  }
  state_->Return(std::move(handle));
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace cordon::aws
