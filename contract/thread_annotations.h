#pragma once

// Lock contracts the compiler checks: clang's thread-safety analysis
// (-Wthread-safety, an error in every clang build; CMakeLists.txt). Under
// another compiler every macro expands to nothing.
//
//   class Journal {
//     void Record(Entry e) EXCLUDES(mu_);
//     void TrimLocked() REQUIRES(mu_);
//     Mutex mu_;
//     std::vector<Entry> ring_ GUARDED_BY(mu_);
//   };
//
// Mutex and MutexLock (contract/mutex.h) carry the capability attributes;
// std::mutex in libstdc++ has none, so the analysis cannot see it.

#if defined(__clang__)
#define ONSMQTT_THREAD_ATTRIBUTE(x) __attribute__((x))
#else
#define ONSMQTT_THREAD_ATTRIBUTE(x)
#endif

// A type that is a lock ("mutex" in messages).
#define CAPABILITY(name) ONSMQTT_THREAD_ATTRIBUTE(capability(name))
// An RAII type that holds a lock for its lifetime.
#define SCOPED_CAPABILITY ONSMQTT_THREAD_ATTRIBUTE(scoped_lockable)

// A member read or written only with the lock held.
#define GUARDED_BY(x) ONSMQTT_THREAD_ATTRIBUTE(guarded_by(x))
// A pointer whose pointee is read or written only with the lock held.
#define PT_GUARDED_BY(x) ONSMQTT_THREAD_ATTRIBUTE(pt_guarded_by(x))

// The caller holds the lock(s).
#define REQUIRES(...) ONSMQTT_THREAD_ATTRIBUTE(requires_capability(__VA_ARGS__))
// The caller does not hold the lock(s): the function takes them.
#define EXCLUDES(...) ONSMQTT_THREAD_ATTRIBUTE(locks_excluded(__VA_ARGS__))

// The function takes or releases the lock(s) (no argument: `this`).
#define ACQUIRE(...) ONSMQTT_THREAD_ATTRIBUTE(acquire_capability(__VA_ARGS__))
#define RELEASE(...) ONSMQTT_THREAD_ATTRIBUTE(release_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) ONSMQTT_THREAD_ATTRIBUTE(try_acquire_capability(__VA_ARGS__))
// The function checks at run time that the lock is held.
#define ASSERT_CAPABILITY(x) ONSMQTT_THREAD_ATTRIBUTE(assert_capability(x))
// The function returns a reference to this lock.
#define RETURN_CAPABILITY(x) ONSMQTT_THREAD_ATTRIBUTE(lock_returned(x))

// Turns the analysis off for one function: a lock protocol it cannot
// follow. Say why beside each use.
#define NO_THREAD_SAFETY_ANALYSIS ONSMQTT_THREAD_ATTRIBUTE(no_thread_safety_analysis)
