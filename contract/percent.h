#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Percent-encoding as the Alibaba Cloud signatures define it (RFC 3986):
// unreserved A-Z a-z 0-9 - _ . ~ are kept, everything else becomes %XX with
// uppercase hex (space is %20, never +).
namespace onsmqtt {

using Param = std::pair<std::string, std::string>;
using ParamList = std::vector<Param>;

std::string PercentEncode(std::string_view in);

// Decodes %XX sequences; with plus_is_space, '+' decodes to ' ' (form and
// query strings as browsers and most HTTP clients write them). Malformed
// escapes ("%G1", a trailing "%") are kept literally.
std::string PercentDecode(std::string_view in, bool plus_is_space = true);

// Splits "a=1&b=x%20y" into decoded pairs, in order; "a" gives ("a", "").
ParamList ParseQueryString(std::string_view raw, bool plus_is_space = true);

// Encodes each name and value, sorts by encoded name (then value), and joins
// "n=v" with '&' — the canonical form both signature schemes sign.
std::string CanonicalQueryString(const ParamList& params);

// "n=v&..." in the given order, encoded; what a client puts on the wire.
std::string EncodeParams(const ParamList& params);

}  // namespace onsmqtt
