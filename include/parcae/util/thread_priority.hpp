#pragma once
// A background thread beside training (a checkpoint's copy and write) should
// take only the cycles training leaves: on these few cores a third runnable
// thread delays every OpenMP and OpenBLAS team of the training threads at its
// barriers, which costs the step far more than the copy itself.

namespace parcae::util {

// Gives the calling thread (only it: Linux keeps a nice value per thread) the
// lowest priority, nice 19. Returns false where the system refuses.
bool yield_to_other_threads();

}  // namespace parcae::util
