#include "store/community.h"

#include <initializer_list>
#include <string>

namespace baogao::store {
namespace {

// For error messages: the text as given, cut to a sane length.
std::string Quote(std::string_view s) {
  std::string out = "'";
  out.append(s.substr(0, 64));
  if (s.size() > 64) out += "...";
  out += "'";
  return out;
}

}  // namespace

std::string_view CommentStatusSlug(CommentStatus status) {
  switch (status) {
    case CommentStatus::kPending:
      return "pending";
    case CommentStatus::kApproved:
      return "approved";
    case CommentStatus::kRejected:
      return "rejected";
    case CommentStatus::kSpam:
      return "spam";
    case CommentStatus::kDeleted:
      return "deleted";
  }
  return "pending";
}

Result<CommentStatus> CommentStatusFromSlug(std::string_view slug) {
  for (CommentStatus s :
       {CommentStatus::kPending, CommentStatus::kApproved, CommentStatus::kRejected,
        CommentStatus::kSpam, CommentStatus::kDeleted}) {
    if (CommentStatusSlug(s) == slug) return s;
  }
  return Status::InvalidArgument("unknown comment status " + Quote(slug) +
                                 " (expected pending, approved, rejected, spam or deleted)");
}

std::string_view TakedownReasonSlug(TakedownReason reason) {
  switch (reason) {
    case TakedownReason::kInfringement:
      return "infringement";
    case TakedownReason::kError:
      return "error";
    case TakedownReason::kOther:
      return "other";
  }
  return "other";
}

Result<TakedownReason> TakedownReasonFromSlug(std::string_view slug) {
  for (TakedownReason r :
       {TakedownReason::kInfringement, TakedownReason::kError, TakedownReason::kOther}) {
    if (TakedownReasonSlug(r) == slug) return r;
  }
  return Status::InvalidArgument("unknown takedown reason " + Quote(slug) +
                                 " (expected infringement, error or other)");
}

std::string_view TakedownStatusSlug(TakedownStatus status) {
  switch (status) {
    case TakedownStatus::kOpen:
      return "open";
    case TakedownStatus::kHidden:
      return "hidden";
    case TakedownStatus::kCorrected:
      return "corrected";
    case TakedownStatus::kRejected:
      return "rejected";
  }
  return "open";
}

Result<TakedownStatus> TakedownStatusFromSlug(std::string_view slug) {
  for (TakedownStatus s : {TakedownStatus::kOpen, TakedownStatus::kHidden,
                           TakedownStatus::kCorrected, TakedownStatus::kRejected}) {
    if (TakedownStatusSlug(s) == slug) return s;
  }
  return Status::InvalidArgument("unknown takedown status " + Quote(slug) +
                                 " (expected open, hidden, corrected or rejected)");
}

}  // namespace baogao::store
