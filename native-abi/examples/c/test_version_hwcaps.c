/* Linked as -lsbecore against an installed SbeCore: the library reports the package's version (the repository's
   VERSION, as NuGet, `sbe --version` and Python's __version__ do), and the dynamic loader picked, from the install's
   glibc-hwcaps folders, the flavour sbe_recommended_flavour() names for this CPU (on aarch64: the NEON build). */
#include "test_util.h"

int main(void)
{
    const char *version = sbe_version();
    CHECK(version != NULL && strcmp(version, SBECORE_EXPECTED_VERSION) == 0, "sbe_version() = %s, package %s",
          version ? version : "(null)", SBECORE_EXPECTED_VERSION);
    uint32_t bits = sbe_isa();
    const char *flavour = sbe_recommended_flavour();
    printf("version %s, recommended flavour %s, sbe_isa = 0x%x\n", version, flavour, bits);
    if (strcmp(flavour, "x86-64-v4") == 0) CHECK(bits & SBE_ISA_VECTOR512, "AVX-512 CPU but the v4 flavour was not loaded");
    else if (strcmp(flavour, "x86-64-v3") == 0) CHECK((bits & SBE_ISA_VECTOR256) && !(bits & SBE_ISA_VECTOR512), "v3 flavour expected");
    else if (strcmp(flavour, "linux-arm64") == 0) CHECK(bits & SBE_ISA_ADVSIMD, "NEON (AdvSimd) not live");
    else CHECK(!(bits & SBE_ISA_VECTOR256), "v2 flavour expected");
    return test_summary("version_and_hwcaps");
}
