#include "services/registry/registry.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/aip/etag.h"
#include "common/aip/page_token.h"
#include "common/aip/request_id.h"
#include "common/aip/resource_name.h"
#include "common/audit/purpose.h"
#include "common/registry_client/business_view.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/validate/business_ids.h"
#include "services/registry/business_rules.h"

namespace umkm::registry {
namespace {

// Every element of a repeated field, for Present().
std::vector<v1::Business*> All(
    google::protobuf::RepeatedPtrField<v1::Business>& businesses) {
  std::vector<v1::Business*> all;
  all.reserve(businesses.size());
  for (v1::Business& business : businesses) all.push_back(&business);
  return all;
}

// Whether answering `caller` with `view` discloses the owner's full NIK
// (unset is BASIC, AIP-157).
bool DisclosesNik(const auth::Caller& caller, v1::BusinessView view) {
  return view == v1::BUSINESS_VIEW_FULL && MaySeeFullNik(caller);
}

// A filter on personal-data fields: the names on the page (none for
// counts) are what it disclosed.
audit::Disclosure FilterDisclosure(std::vector<std::string> fields,
                                   const v1::ListBusinessesResponse* page) {
  audit::Disclosure disclosure{
      .action = umkm::audit::v1::AUDIT_ACTION_FILTER_BY_PERSONAL_DATA,
      .personal_fields = std::move(fields)};
  if (page != nullptr) {
    for (const v1::Business& business : page->businesses()) {
      disclosure.resources.push_back(business.name());
    }
  }
  return disclosure;
}

}  // namespace

Registry::Registry(BusinessStore* store, BusinessCache* cache,
                   const audit::AuditLog* audit,
                   std::function<void()> events_committed)
    : store_(store),
      cache_(cache),
      audit_(audit),
      events_committed_(events_committed ? std::move(events_committed)
                                         : [] {}) {}

absl::Status Registry::Present(
    const RequestContext& context, v1::BusinessView view,
    absl::Span<v1::Business* const> businesses,
    std::vector<audit::Disclosure> disclosures) const {
  if (view != v1::BUSINESS_VIEW_FULL) {
    for (v1::Business* business : businesses) ToBasicView(*business);
  } else if (!MaySeeFullNik(context.caller)) {
    for (v1::Business* business : businesses) MaskNik(*business);
  } else if (!businesses.empty()) {
    // UU 27/2022: a record of who saw which person's data, and why.
    audit::Disclosure read{
        .action = umkm::audit::v1::AUDIT_ACTION_READ_PERSONAL_DATA,
        .personal_fields = {"owner.nik"}};
    read.resources.reserve(businesses.size());
    for (const v1::Business* business : businesses) {
      read.resources.push_back(business->name());
    }
    disclosures.push_back(std::move(read));
  }
  return audit_->Record(context, disclosures);
}

absl::Status Registry::Create(const RequestContext& context,
                              const v1::CreateBusinessRequest& request,
                              v1::Business& response) {
  UMKM_RETURN_IF_ERROR(aip::ValidateRequestId(request.request_id()));
  if (!request.has_business()) return InvalidField("business", "required");
  v1::Business business = request.business();
  ClearOutputOnly(business);
  business.clear_etag();
  UMKM_RETURN_IF_ERROR(NormalizeBusiness(business, "business"));

  UMKM_ASSIGN_OR_RETURN(v1::Business created,
                        store_->Create(context, std::move(business),
                                       store::RequestKeyOf(request)));
  // Nothing to invalidate: a new id is in no cache, and a repeated
  // request_id returns the business unchanged.
  events_committed_();
  response = std::move(created);
  MaskNik(response);  // the writer sent it; a FULL read shows it
  return absl::OkStatus();
}

std::optional<absl::Status> Registry::GetCached(
    const RequestContext& context, const v1::GetBusinessRequest& request,
    grpc::Slice& response) {
  absl::StatusOr<std::string> id =
      aip::ParseResourceId(request.name(), kBusinessCollection);
  if (!id.ok()) return id.status();
  if (absl::Status view = CheckView(request.view()); !view.ok()) return view;
  // The audit record is a blocking write: Get, on the pool, answers.
  if (DisclosesNik(context.caller, request.view())) return std::nullopt;
  std::shared_ptr<const CachedBusiness> cached = cache_->GetLocal(*id);
  if (cached == nullptr) return std::nullopt;
  response = request.view() == v1::BUSINESS_VIEW_FULL ? cached->masked_bytes
                                                      : cached->basic_bytes;
  return absl::OkStatus();
}

absl::StatusOr<v1::Business> Registry::Read(const RequestContext& context,
                                            const std::string& id,
                                            bool shared_ok) {
  if (std::shared_ptr<const CachedBusiness> local = cache_->GetLocal(id)) {
    return local->full;
  }
  // The shared level holds masked records: only usable for answers that
  // would carry the NIK masked, or not at all, anyway.
  if (shared_ok) {
    if (std::optional<v1::Business> shared =
            cache_->GetShared(id, context.deadline)) {
      return *std::move(shared);
    }
  }
  const uint64_t generation = cache_->Generation(id);
  UMKM_ASSIGN_OR_RETURN(v1::Business business, store_->Get(context, id));
  cache_->Fill(business, generation, /*share=*/true, context.deadline);
  return business;
}

absl::Status Registry::Get(const RequestContext& context,
                           const v1::GetBusinessRequest& request,
                           v1::Business& response) {
  UMKM_ASSIGN_OR_RETURN(
      std::string id,
      aip::ParseResourceId(request.name(), kBusinessCollection));
  UMKM_RETURN_IF_ERROR(CheckView(request.view()));
  const bool discloses = DisclosesNik(context.caller, request.view());
  if (discloses) UMKM_RETURN_IF_ERROR(audit::RequirePurpose(context));
  UMKM_ASSIGN_OR_RETURN(response, Read(context, id, !discloses));
  return Present(context, request.view(), response);
}

absl::Status Registry::List(const RequestContext& context,
                            const v1::ListBusinessesRequest& request,
                            v1::ListBusinessesResponse& response) {
  UMKM_ASSIGN_OR_RETURN(
      int page_size,
      aip::ClampPageSize(request.page_size(), kDefaultPageSize, kMaxPageSize));
  UMKM_RETURN_IF_ERROR(CheckView(request.view()));
  if (DisclosesNik(context.caller, request.view())) {
    UMKM_RETURN_IF_ERROR(audit::RequirePurpose(context));
  }
  ListQuery query{
      .filter = request.filter(),
      .order_by = request.order_by(),
      .show_deleted = request.show_deleted(),
      .page_size = page_size,
      .page_token = request.page_token(),
      .personal_filters_allowed = PersonalFiltersFor(context.caller)};
  UMKM_ASSIGN_OR_RETURN(ListPage page, store_->List(context, query));
  for (v1::Business& business : page.businesses) {
    *response.add_businesses() = std::move(business);
  }
  std::vector<audit::Disclosure> disclosures;
  if (!page.personal_filters_used.empty()) {
    disclosures.push_back(
        FilterDisclosure(std::move(page.personal_filters_used), &response));
  }
  UMKM_RETURN_IF_ERROR(Present(context, request.view(),
                               All(*response.mutable_businesses()),
                               std::move(disclosures)));
  response.set_next_page_token(std::move(page.next_page_token));
  response.set_total_size(static_cast<int32_t>(page.total_size));
  return absl::OkStatus();
}

absl::Status Registry::Update(const RequestContext& context,
                              const v1::UpdateBusinessRequest& request,
                              v1::Business& response) {
  if (!request.has_business()) return InvalidField("business", "required");
  UMKM_ASSIGN_OR_RETURN(
      std::string id,
      aip::ParseResourceId(request.business().name(), kBusinessCollection,
                           "business.name"));
  const std::string& etag = request.business().etag();
  if (!etag.empty()) {
    UMKM_RETURN_IF_ERROR(aip::ParseEtag(etag, "business.etag").status());
  }
  if (!request.has_update_mask()) {
    return InvalidField("update_mask",
                        "required: name the fields to change, or \"*\"");
  }
  const std::vector<std::string> changed(request.update_mask().paths().begin(),
                                         request.update_mask().paths().end());
  UMKM_ASSIGN_OR_RETURN(
      v1::Business updated,
      store_->Update(context, id, etag, changed, [&](v1::Business& business) {
        UMKM_RETURN_IF_ERROR(ApplyUpdateMask(request.business(),
                                             request.update_mask(), business));
        return NormalizeBusiness(business, "business");
      }));
  cache_->Invalidate(id);
  events_committed_();
  response = std::move(updated);
  MaskNik(response);  // writes never disclose it: a FULL read does
  return absl::OkStatus();
}

absl::Status Registry::Delete(const RequestContext& context,
                              const v1::DeleteBusinessRequest& request,
                              v1::Business& response) {
  UMKM_ASSIGN_OR_RETURN(
      std::string id,
      aip::ParseResourceId(request.name(), kBusinessCollection));
  UMKM_RETURN_IF_ERROR(aip::ValidateRequestId(request.request_id()));
  if (!request.etag().empty()) {
    UMKM_RETURN_IF_ERROR(aip::ParseEtag(request.etag(), "etag").status());
  }
  UMKM_ASSIGN_OR_RETURN(v1::Business deleted,
                        store_->Delete(context, id, request.etag(),
                                       store::RequestKeyOf(request)));
  cache_->Invalidate(id);
  events_committed_();
  response = std::move(deleted);
  MaskNik(response);
  return absl::OkStatus();
}

absl::Status Registry::Lookup(const RequestContext& context,
                              const v1::LookupBusinessRequest& request,
                              v1::Business& response) {
  if (request.nib().empty()) return InvalidField("nib", "required");
  UMKM_RETURN_IF_ERROR(validate::ValidateNib(request.nib(), "nib"));
  UMKM_RETURN_IF_ERROR(CheckView(request.view()));
  if (DisclosesNik(context.caller, request.view())) {
    UMKM_RETURN_IF_ERROR(audit::RequirePurpose(context));
  }
  UMKM_ASSIGN_OR_RETURN(v1::Business business,
                        store_->FindByNib(context, request.nib()));
  UMKM_ASSIGN_OR_RETURN(
      std::string id,
      aip::ParseResourceId(business.name(), kBusinessCollection));
  cache_->Fill(business, cache_->Generation(id), /*share=*/false);
  response = std::move(business);
  return Present(context, request.view(), response);
}

absl::Status Registry::BatchGet(const RequestContext& context,
                                const v1::BatchGetBusinessesRequest& request,
                                v1::BatchGetBusinessesResponse& response) {
  if (request.names().empty()) return InvalidField("names", "required");
  if (request.names_size() > kMaxBatchGet) {
    return InvalidField("names", absl::StrCat("at most ", kMaxBatchGet));
  }
  UMKM_RETURN_IF_ERROR(CheckView(request.view()));
  if (DisclosesNik(context.caller, request.view())) {
    UMKM_RETURN_IF_ERROR(audit::RequirePurpose(context));
  }
  std::vector<std::string> ids;
  ids.reserve(request.names_size());
  for (int i = 0; i < request.names_size(); ++i) {
    UMKM_ASSIGN_OR_RETURN(
        std::string id,
        aip::ParseResourceId(request.names(i), kBusinessCollection,
                             absl::StrCat("names[", i, "]")));
    ids.push_back(std::move(id));
  }
  // Cache hits first; the rest in one store snapshot.
  std::vector<std::optional<v1::Business>> found(ids.size());
  std::vector<std::string> missing;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (std::shared_ptr<const CachedBusiness> local =
            cache_->GetLocal(ids[i])) {
      found[i] = local->full;
    } else {
      missing.push_back(ids[i]);
    }
  }
  if (!missing.empty()) {
    UMKM_ASSIGN_OR_RETURN(std::vector<v1::Business> loaded,
                          store_->GetMany(context, missing));
    size_t next = 0;
    for (auto& slot : found) {
      if (!slot) slot = std::move(loaded[next++]);
    }
  }
  for (std::optional<v1::Business>& business : found) {
    *response.add_businesses() = *std::move(business);
  }
  return Present(context, request.view(), All(*response.mutable_businesses()));
}

absl::Status Registry::Stats(const RequestContext& context,
                             const v1::GetBusinessStatsRequest& request,
                             v1::GetBusinessStatsResponse& response) {
  UMKM_ASSIGN_OR_RETURN(
      umkm::registry::Stats stats,
      store_->CountActive(context, request.filter(),
                          PersonalFiltersFor(context.caller)));
  if (!stats.personal_filters_used.empty()) {
    // Counts of one person's businesses still say how many there are.
    const audit::Disclosure filtered[] = {
        FilterDisclosure(std::move(stats.personal_filters_used), nullptr)};
    UMKM_RETURN_IF_ERROR(audit_->Record(context, filtered));
  }
  response.set_total_count(stats.total);
  for (auto& [code, count] : stats.per_kecamatan) {
    auto* out = response.add_kecamatan_counts();
    out->set_kecamatan_code(code);
    out->set_count(count);
  }
  for (auto& [scale, count] : stats.per_scale) {
    auto* out = response.add_scale_counts();
    out->set_scale(static_cast<umkm::common::v1::Scale>(scale));
    out->set_count(count);
  }
  for (auto& [section, count] : stats.per_kbli_section) {
    auto* out = response.add_kbli_section_counts();
    out->set_section(section);
    out->set_count(count);
  }
  return absl::OkStatus();
}

}  // namespace umkm::registry
