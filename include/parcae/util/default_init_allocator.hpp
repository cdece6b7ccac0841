#pragma once
// An allocator for std::vector whose resize(n) and vector(n) leave new
// elements of trivial types uninitialised (default-, not value-initialised)
// instead of zeroing them: a buffer about to be overwritten whole (received
// from MPI, read from a file, downloaded from a device) is not written twice.
// Zeros where they are wanted: assign(n, 0) or resize(n, 0).
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace parcae::util {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  using value_type = T;
  DefaultInitAllocator() noexcept = default;
  template <class U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };

  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <class T, class U>
bool operator==(const DefaultInitAllocator<T>&, const DefaultInitAllocator<U>&) noexcept {
  return true;
}

}  // namespace parcae::util
