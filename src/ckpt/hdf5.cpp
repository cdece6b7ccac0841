// HDF5 behind a lock, errors as exceptions (see hdf5.hpp).
#include "hdf5.hpp"

#include <algorithm>

#include "parcae/util/checksum.hpp"

namespace parcae::ckpt::h5 {
namespace {

std::mutex& library_lock() {
  static std::mutex lock;
  return lock;
}

// The description of the innermost entry of this thread's HDF5 error stack
// (where the failure was detected: "unable to open file: ... Permission
// denied"), then the stack is cleared.
std::string reason() {
  std::string text;
  auto first = [](unsigned n, const H5E_error2_t* e, void* out) -> herr_t {
    if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, first, &text);
  H5Eclear2(H5E_DEFAULT);
  return text.empty() ? "HDF5 error" : text;
}

// Floats per block of a dataset's I/O: 1 MiB, small enough that the block
// just read (or about to be written) is still in cache when it is hashed.
constexpr hsize_t kBlockFloats = 1 << 18;

Error failure(const std::string& what) { return Error(what + ": " + reason()); }

void check(herr_t status, const std::string& what) {
  if (status < 0) throw failure(what);
}

Handle attribute_of(hid_t object, const std::string& name) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) throw failure("attribute '" + name + "'");
  if (exists == 0) throw Error("no attribute '" + name + "'");
  return Handle(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose, "attribute '" + name + "'");
}

// The attribute's type class, and its element count (its dataspace's size).
H5T_class_t type_class(hid_t attribute) {
  Handle type(H5Aget_type(attribute), H5Tclose, "attribute type");
  return H5Tget_class(type.get());
}

hssize_t elements(hid_t attribute) {
  Handle space(H5Aget_space(attribute), H5Sclose, "attribute space");
  return H5Sget_simple_extent_npoints(space.get());
}

void write_attribute(hid_t object, const std::string& name, hid_t type, hsize_t count,
                     const void* data, bool scalar) {
  Handle space(scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &count, nullptr), H5Sclose,
               "attribute space");
  Handle attribute(H5Acreate2(object, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   H5Aclose, "attribute '" + name + "'");
  check(H5Awrite(attribute.get(), type, data), "attribute '" + name + "'");
}

std::vector<std::int64_t> read_integers(hid_t object, const std::string& name) {
  Handle attribute = attribute_of(object, name);
  if (type_class(attribute.get()) != H5T_INTEGER) {
    throw Error("attribute '" + name + "' is not an integer");
  }
  std::vector<std::int64_t> values(static_cast<std::size_t>(elements(attribute.get())));
  check(H5Aread(attribute.get(), H5T_NATIVE_INT64, values.data()), "attribute '" + name + "'");
  return values;
}

}  // namespace

Session::Session() : lock_(library_lock()) { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

Handle::Handle(hid_t id, Closer close, const std::string& what) : id_(id), close_(close) {
  if (id_ < 0) throw failure(what);
}

void Handle::close_quietly() noexcept {
  if (id_ >= 0) close_(id_);
  id_ = -1;
}

void Handle::close(const std::string& what) {
  const hid_t id = id_;
  id_ = -1;
  if (id >= 0) check(close_(id), what);
}

Handle create_file(const std::string& path) {
  return Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                "cannot create HDF5 file");
}

Handle open_file_read_only(const std::string& path) {
  return Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose,
                "cannot open as HDF5");
}

bool is_hdf5(const std::string& path) {
  const htri_t yes = H5Fis_hdf5(path.c_str());
  if (yes < 0) throw failure("cannot read");
  return yes > 0;
}

Handle create_group(hid_t parent, const std::string& name) {
  return Handle(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                "group '" + name + "'");
}

bool has_link(hid_t parent, const std::string& name) {
  const htri_t yes = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
  if (yes < 0) throw failure("link '" + name + "'");
  return yes > 0;
}

Handle open_group(hid_t parent, const std::string& name) {
  if (!has_link(parent, name)) throw Error("no group '" + name + "'");
  return Handle(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose, "group '" + name + "'");
}

void set_attribute(hid_t object, const std::string& name, std::int64_t value) {
  write_attribute(object, name, H5T_NATIVE_INT64, 1, &value, true);
}

void set_attribute(hid_t object, const std::string& name, std::uint64_t value) {
  write_attribute(object, name, H5T_NATIVE_UINT64, 1, &value, true);
}

void set_attribute(hid_t object, const std::string& name, const std::string& value) {
  // Variable-length UTF-8: h5py reads it as a str, h5dump prints it plainly.
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
  check(H5Tset_size(type.get(), H5T_VARIABLE), "string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "string type");
  const char* text = value.c_str();
  write_attribute(object, name, type.get(), 1, &text, true);
}

void set_attribute(hid_t object, const std::string& name, const std::vector<std::int64_t>& values) {
  write_attribute(object, name, H5T_NATIVE_INT64, values.size(), values.data(), false);
}

std::int64_t int_attribute(hid_t object, const std::string& name) {
  const auto values = read_integers(object, name);
  if (values.size() != 1) throw Error("attribute '" + name + "' is not one integer");
  return values[0];
}

std::uint64_t uint_attribute(hid_t object, const std::string& name) {
  Handle attribute = attribute_of(object, name);
  if (type_class(attribute.get()) != H5T_INTEGER || elements(attribute.get()) != 1) {
    throw Error("attribute '" + name + "' is not one integer");
  }
  std::uint64_t value = 0;
  check(H5Aread(attribute.get(), H5T_NATIVE_UINT64, &value), "attribute '" + name + "'");
  return value;
}

std::string string_attribute(hid_t object, const std::string& name) {
  Handle attribute = attribute_of(object, name);
  Handle type(H5Aget_type(attribute.get()), H5Tclose, "attribute type");
  if (H5Tget_class(type.get()) != H5T_STRING || elements(attribute.get()) != 1) {
    throw Error("attribute '" + name + "' is not a string");
  }
  const htri_t variable = H5Tis_variable_str(type.get());
  if (variable < 0) throw failure("attribute '" + name + "'");
  if (variable > 0) {
    char* text = nullptr;
    check(H5Aread(attribute.get(), type.get(), &text), "attribute '" + name + "'");
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  }
  std::string value(H5Tget_size(type.get()), '\0');
  check(H5Aread(attribute.get(), type.get(), value.data()), "attribute '" + name + "'");
  return value.substr(0, value.find('\0'));
}

std::vector<std::int64_t> ints_attribute(hid_t object, const std::string& name) {
  return read_integers(object, name);
}

namespace {

// Selects floats [first, first + count) of a 1-D dataset's file space, and
// sizes the memory space to `count` floats.
void select_block(hid_t file_space, hid_t memory_space, hsize_t first, hsize_t count) {
  check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, &first, nullptr, &count, nullptr),
        "selecting a block");
  check(H5Sset_extent_simple(memory_space, 1, &count, nullptr), "block space");
}

// Calls io(file space, memory space, offset, count) for each block of n floats.
template <class Io>
void by_blocks(hsize_t n, const Io& io) {
  Handle file_space(H5Screate_simple(1, &n, nullptr), H5Sclose, "dataset space");
  const hsize_t one = std::max<hsize_t>(1, std::min(n, kBlockFloats));
  Handle memory_space(H5Screate_simple(1, &one, nullptr), H5Sclose, "block space");
  for (hsize_t first = 0; first < n; first += kBlockFloats) {
    const hsize_t count = std::min(kBlockFloats, n - first);
    select_block(file_space.get(), memory_space.get(), first, count);
    io(file_space.get(), memory_space.get(), first, count);
  }
}

}  // namespace

std::uint64_t write_floats(hid_t parent, const std::string& name, std::span<const float> values,
                           const std::string& checksum_attribute) {
  const hsize_t count = values.size();
  Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose, "dataset space");
  // Every float is written, so no fill value is ever needed.
  Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "dataset properties");
  check(H5Pset_fill_time(properties.get(), H5D_FILL_TIME_NEVER), "dataset properties");
  Handle dataset(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F32LE, space.get(), H5P_DEFAULT,
                            properties.get(), H5P_DEFAULT),
                 H5Dclose, "dataset '" + name + "'");
  util::Xxh3Stream hash;
  by_blocks(count, [&](hid_t file_space, hid_t memory_space, hsize_t first, hsize_t n) {
    hash.update(values.data() + first, n * sizeof(float));
    check(H5Dwrite(dataset.get(), H5T_NATIVE_FLOAT, memory_space, file_space, H5P_DEFAULT,
                   values.data() + first),
          "writing dataset '" + name + "'");
  });
  const std::uint64_t checksum = hash.digest();
  set_attribute(dataset.get(), checksum_attribute, checksum);
  return checksum;
}

std::uint64_t read_floats(hid_t parent, const std::string& name, std::int64_t expected,
                          model::Floats& out, const std::string& checksum_attribute,
                          util::HashingThread& hashing, std::size_t id) {
  if (!has_link(parent, name)) throw Error("missing dataset '" + name + "'");
  Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose, "dataset '" + name + "'");
  Handle type(H5Dget_type(dataset.get()), H5Tclose, "dataset type");
  if (H5Tget_class(type.get()) != H5T_FLOAT || H5Tget_size(type.get()) != 4) {
    throw Error("dataset '" + name + "' is not float32");
  }
  Handle space(H5Dget_space(dataset.get()), H5Sclose, "dataset space");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  hsize_t count = 0;
  if (rank != 1 || H5Sget_simple_extent_dims(space.get(), &count, nullptr) != 1 ||
      count != static_cast<hsize_t>(expected)) {
    // (appends, not "[" + to_string(...): GCC 12 warns falsely on that, bug 105329)
    std::string shape = std::to_string(rank == 1 ? count : static_cast<hsize_t>(rank));
    shape = rank == 1 ? shape.insert(0, 1, '[').append("]") : shape.append("-D");
    throw Error("wrong shape: dataset '" + name + "' is " + shape + ", the layer needs [" +
                std::to_string(expected) + "]");
  }
  const std::uint64_t stored = uint_attribute(dataset.get(), checksum_attribute);
  out.resize(static_cast<std::size_t>(expected));
  by_blocks(count, [&](hid_t file_space, hid_t memory_space, hsize_t first, hsize_t n) {
    check(H5Dread(dataset.get(), H5T_NATIVE_FLOAT, memory_space, file_space, H5P_DEFAULT,
                  out.data() + first),
          "reading dataset '" + name + "'");
    hashing.hash(id, out.data() + first, n * sizeof(float));
  });
  return stored;
}

}  // namespace parcae::ckpt::h5
