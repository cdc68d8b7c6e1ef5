// RecordReferences (variables.h): the variables a scenario uses, recorded
// once, when it is loaded.
#include <string>
#include <vector>

#include "runner/scenario/scenario.h"
#include "runner/scenario/variables.h"

namespace onsmqtt::runner {
namespace {

void AddValueNames(const Value& v, std::vector<std::string>* out) {
  if (v.type == Value::Type::kString) {
    for (std::string& n : ReferencedNames(v.text)) out->push_back(std::move(n));
  }
  for (const Value& item : v.items) AddValueNames(item, out);
  for (const auto& [k, member] : v.members) AddValueNames(member, out);
}

// A connect step: its certificate, key, chain, client id, server name,
// username and password.
void AddConnectNames(const ConnectSpec& c, std::vector<std::string>* out) {
  std::vector<const Template*> templates = {&c.certificate, &c.key};
  for (const Template& t : c.chain) templates.push_back(&t);
  for (const auto* t : {&c.client_id, &c.server_name, &c.username, &c.password}) {
    if (t->has_value()) templates.push_back(&**t);
  }
  for (const Template* t : templates) {
    for (std::string& n : ReferencedNames(t->text)) out->push_back(std::move(n));
  }
}

void AddStepNames(const Step& step, std::vector<std::string>* out) {
  if (step.kind == Step::Kind::kConnect) {
    AddConnectNames(step.connect, out);
    return;
  }
  const CallSpec& c = step.call;
  auto add = [&](const std::string& text) {
    for (std::string& n : ReferencedNames(text)) out->push_back(std::move(n));
  };
  for (const auto& [name, t] : c.params) add(t.text);
  for (const auto* t : {&c.version, &c.nonce, &c.host}) {
    if (t->has_value()) add((*t)->text);
  }
  if (c.auth != AuthVariant::kUnknownKey) {
    out->push_back("key." + c.identity + ".id");
    out->push_back("key." + c.identity + ".secret");
  }
  for (const auto* m : {&step.expect.code, &step.expect.message}) {
    if (m->has_value()) AddValueNames((*m)->value, out);
  }
  for (const BodyAssertion& a : step.expect.body) AddValueNames(a.matcher.value, out);
  for (const HeaderAssertion& h : step.expect.headers) AddValueNames(h.matcher.value, out);
}

}  // namespace

void RecordReferences(Scenario* scenario) {
  scenario->references.clear();
  scenario->captured.clear();
  for (const auto* steps : {&scenario->steps, &scenario->cleanup}) {
    for (const Step& step : *steps) {
      AddStepNames(step, &scenario->references);
      for (const Capture& c : step.captures) scenario->captured.push_back(c.name);
    }
  }
}

}  // namespace onsmqtt::runner
