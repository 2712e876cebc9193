package io.isotropic.cli;

import io.isotropic.persist.Faults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: a full disk at any write of a run gives one error line naming the file, and the run stays resumable
 * (and ends bit-identical to an uninterrupted run) once there is space again.
 */
class FullDiskTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        Faults.reset();
    }

    /** Runs the tool in-process: {exit code, stderr}. */
    static String[] exec(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), err.toString()};
    }

    @Test
    void injectedFullDiskAtEveryWriteKeepsTheRunResumable() throws Exception {
        System.setProperty(Faults.FSYNC_PROPERTY, "false");
        Path ref = dir.resolve("reference");
        long before = Faults.operations();
        assertEquals(0, RoundTripTest.run(CrashResumeTest.train(ref)));
        int ops = (int) (Faults.operations() - before);
        byte[] model = Files.readAllBytes(ref.resolve("model.safetensors"));
        int failures = 0;
        for (int n = 2; n <= ops; n++) { // operation 1 creates the lock file, before the run exists
            Path run = dir.resolve("full-" + n);
            Faults.failAfter(n);
            String[] r = exec(CrashResumeTest.train(run));
            Faults.reset();
            if (!r[0].equals("0")) {
                failures++;
                String err = r[1].strip();
                assertEquals(1, err.lines().count(), "one line on stderr: " + err);
                assertTrue(err.startsWith("error: ") && err.contains("No space left on device")
                        && err.contains(run.toString()), "operation " + n + ": names the file and the cause: " + err);
            }
            String[] again = Files.exists(run.resolve("run.json"))
                    ? new String[] {"train", "--resume", run.toString(), "--no-progress"}
                    : CrashResumeTest.train(run);
            assertEquals(0, RoundTripTest.run(again), "resuming after a full disk at operation " + n);
            assertArrayEquals(model, Files.readAllBytes(run.resolve("model.safetensors")), "model, operation " + n);
        }
        System.clearProperty(Faults.FSYNC_PROPERTY);
        assertTrue(failures > ops / 2, failures + " of " + ops + " operations failed the run");
    }

    /** A real 200 KB tmpfs (needs root and mount): the checkpoint that does not fit fails, then resumes. */
    @Test
    void realFullTmpfsKeepsTheRunResumable() throws Exception {
        Path mnt = dir.resolve("tmpfs");
        Files.createDirectories(mnt);
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here (not root?)");
        try {
            String[] args = {"train", "--epochs", "3", "--hidden", "64,64", "--limit", "200", "--backend", "ejml",
                "--threads", "1", "--no-progress", "--spectra-every", "0"};
            Path ref = dir.resolve("reference");
            assertEquals(0, RoundTripTest.run(concat(args, "--out", ref.toString())));
            Path run = mnt.resolve("run");
            String[] r = exec(concat(args, "--out", run.toString()));
            assertEquals("1", r[0], "the run does not fit in 200 KB: " + r[1]);
            String err = r[1].strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("No space left on device") && err.contains(run.toString())
                    && err.contains("--resume"), err);
            assertEquals(0, sh("mount", "-o", "remount,size=4m", mnt.toString()));
            assertEquals(0, RoundTripTest.run("train", "--resume", run.toString(), "--no-progress"));
            assertArrayEquals(Files.readAllBytes(ref.resolve("model.safetensors")),
                    Files.readAllBytes(run.resolve("model.safetensors")));
        } finally {
            sh("umount", mnt.toString());
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
