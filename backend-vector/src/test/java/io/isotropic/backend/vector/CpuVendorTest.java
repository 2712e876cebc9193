package io.isotropic.backend.vector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuVendorTest {

    /** The vendor comes from the first {@code vendor_id} line; anything unreadable counts as not AMD. */
    @Test
    void readsTheFirstVendorLine(@TempDir Path dir) throws Exception {
        Path amd = dir.resolve("amd");
        Files.writeString(amd, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 23\n"
                + "processor\t: 1\nvendor_id\t: GenuineIntel\n");
        assertTrue(CpuVendor.isAmd(amd));
        Path intel = dir.resolve("intel");
        Files.writeString(intel, "processor\t: 0\nvendor_id\t: GenuineIntel\nvendor_id\t: AuthenticAMD\n");
        assertFalse(CpuVendor.isAmd(intel));
        Path arm = dir.resolve("arm");
        Files.writeString(arm, "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n");
        assertFalse(CpuVendor.isAmd(arm));
        Path noColon = dir.resolve("nocolon");
        Files.writeString(noColon, "vendor_id AuthenticAMD\n");
        assertFalse(CpuVendor.isAmd(noColon));
        assertFalse(CpuVendor.isAmd(dir.resolve("missing")));
        assertFalse(CpuVendor.isAmd(dir)); // a directory cannot be read as a file
    }

    /** On 256-bit vectors the F64 tile has 5 rows exactly on AMD, F32 always 4; 512-bit vectors take 12. */
    @Test
    void theTileFollowsTheVendor() {
        if (Lanes.F64.vectorBitSize() >= 512) {
            assertTrue(GemmF64.MR == 12 && GemmF32.MR == 12);
        } else {
            assertTrue(GemmF64.MR == (CpuVendor.AMD ? 5 : 4), "F64 MR " + GemmF64.MR);
            assertTrue(GemmF32.MR == 4, "F32 MR " + GemmF32.MR);
        }
    }
}
