/*
 * Test-only stand-in for Windows' bcryptprimitives.dll, for Wine releases
 * that lack it (Debian 12's Wine 8.0). The Go runtime (1.24 and later)
 * loads bcryptprimitives.dll from System32 at start-up and takes its
 * randomness from ProcessPrng; without the DLL every Go program stops before
 * main. Windows 10 and later always have it, so this file is never shipped:
 * scripts/smoke-windows.sh compiles it into the throw-away Wine prefix only.
 *
 * ProcessPrng(buffer, length) fills the buffer and always returns TRUE on
 * Windows; here it asks advapi32's RtlGenRandom (SystemFunction036), which
 * every Wine has, in pieces that fit its ULONG length.
 */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
