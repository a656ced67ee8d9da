# mxdoctor fix --mta schannel, profile microsoft: the complete recommended
#   TLS configuration.
# Run in an elevated Windows PowerShell, then restart Windows.
#Requires -RunAsAdministrator
$ErrorActionPreference = 'Stop'

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Client' -Force | Out-Null
# why: SSL 2.0 Client off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: SSL 2.0 Client: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Server' -Force | Out-Null
# why: SSL 2.0 Server off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: SSL 2.0 Server: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 2.0\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Client' -Force | Out-Null
# why: SSL 3.0 Client off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: SSL 3.0 Client: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Server' -Force | Out-Null
# why: SSL 3.0 Server off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: SSL 3.0 Server: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Client' -Force | Out-Null
# why: TLS 1.0 Client off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: TLS 1.0 Client: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server' -Force | Out-Null
# why: TLS 1.0 Server off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: TLS 1.0 Server: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client' -Force | Out-Null
# why: TLS 1.1 Client off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: TLS 1.1 Client: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server' -Force | Out-Null
# why: TLS 1.1 Server off: older than profile microsoft's lowest version
#   TLSv1.2, so never used with it. Client and Server must match for
#   Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server' -Name 'Enabled' -PropertyType DWord -Value 0 -Force | Out-Null
# why: TLS 1.1 Server: with Enabled=0, DisabledByDefault=1 is the documented
#   Disabled state that Exchange's Health Checker expects.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' -Force | Out-Null
# why: TLS 1.2 Client on: profile microsoft starts at TLSv1.2, and
#   Microsoft's servers accept only TLS 1.2 and newer (without it: 421 4.4.2
#   SocketError). Client and Server must match for Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   Microsoft Learn, SocketError when sending or receiving mail,
#   https://learn.microsoft.com/exchange/troubleshoot/email-delivery/send-receive-emails-socketerror
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' -Name 'Enabled' -PropertyType DWord -Value 1 -Force | Out-Null
# why: TLS 1.2 Client: with Enabled=1, DisabledByDefault=0 is the documented
#   Enabled state: Exchange and IIS, which take the system defaults, use it.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client' -Name 'DisabledByDefault' -PropertyType DWord -Value 0 -Force | Out-Null

New-Item -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server' -Force | Out-Null
# why: TLS 1.2 Server on: profile microsoft starts at TLSv1.2, and
#   Microsoft's servers accept only TLS 1.2 and newer (without it: 421 4.4.2
#   SocketError). Client and Server must match for Exchange.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   Microsoft Learn, SocketError when sending or receiving mail,
#   https://learn.microsoft.com/exchange/troubleshoot/email-delivery/send-receive-emails-socketerror
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server' -Name 'Enabled' -PropertyType DWord -Value 1 -Force | Out-Null
# why: TLS 1.2 Server: with Enabled=1, DisabledByDefault=0 is the documented
#   Enabled state: Exchange and IIS, which take the system defaults, use it.
# source: Microsoft Learn, TLS registry settings,
#   https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings;
#   microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check
#   (Client and Server must match; only 0 and 1)
New-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server' -Name 'DisabledByDefault' -PropertyType DWord -Value 0 -Force | Out-Null

New-Item -Path 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' -Force | Out-Null
# why: .NET Framework v4.0.30319: SystemDefaultTlsVersions=1 makes
#   applications (Exchange Server among them) use the versions Schannel
#   enables instead of .NET's own older choice (TLS 1.0).
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' -Name 'SystemDefaultTlsVersions' -PropertyType DWord -Value 1 -Force | Out-Null
# why: .NET Framework v4.0.30319: SchUseStrongCrypto=1 lets applications use
#   TLS 1.1/1.2 and keeps RC4 and other weak suites out.
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' -Name 'SchUseStrongCrypto' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319' -Force | Out-Null
# why: .NET Framework v4.0.30319 (32-bit applications):
#   SystemDefaultTlsVersions=1 makes applications (Exchange Server among
#   them) use the versions Schannel enables instead of .NET's own older
#   choice (TLS 1.0).
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319' -Name 'SystemDefaultTlsVersions' -PropertyType DWord -Value 1 -Force | Out-Null
# why: .NET Framework v4.0.30319 (32-bit applications): SchUseStrongCrypto=1
#   lets applications use TLS 1.1/1.2 and keeps RC4 and other weak suites
#   out.
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319' -Name 'SchUseStrongCrypto' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v2.0.50727' -Force | Out-Null
# why: .NET Framework v2.0.50727: SystemDefaultTlsVersions=1 makes
#   applications (Exchange Server among them) use the versions Schannel
#   enables instead of .NET's own older choice (TLS 1.0).
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v2.0.50727' -Name 'SystemDefaultTlsVersions' -PropertyType DWord -Value 1 -Force | Out-Null
# why: .NET Framework v2.0.50727: SchUseStrongCrypto=1 lets applications use
#   TLS 1.1/1.2 and keeps RC4 and other weak suites out.
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v2.0.50727' -Name 'SchUseStrongCrypto' -PropertyType DWord -Value 1 -Force | Out-Null

New-Item -Path 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v2.0.50727' -Force | Out-Null
# why: .NET Framework v2.0.50727 (32-bit applications):
#   SystemDefaultTlsVersions=1 makes applications (Exchange Server among
#   them) use the versions Schannel enables instead of .NET's own older
#   choice (TLS 1.0).
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v2.0.50727' -Name 'SystemDefaultTlsVersions' -PropertyType DWord -Value 1 -Force | Out-Null
# why: .NET Framework v2.0.50727 (32-bit applications): SchUseStrongCrypto=1
#   lets applications use TLS 1.1/1.2 and keeps RC4 and other weak suites
#   out.
# source: dotnet/docs, docs/framework/network-programming/tls.md
#   (SchUseStrongCrypto, SystemDefaultTlsVersions)
New-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v2.0.50727' -Name 'SchUseStrongCrypto' -PropertyType DWord -Value 1 -Force | Out-Null

# Notes:
# - Restart Windows for Schannel changes to take effect (Schannel reads
#   these keys at boot; services keep their credentials until restarted).
# - No cipher suite order is written: every Windows from 7 / Server 2008 R2
#   on enables by default suites that the profile offers (e.g.
#   TLS_RSA_WITH_AES_256_GCM_SHA384), and an order list would also restrict
#   every other Schannel application.
# - TLS 1.3 is left at the Windows default: its keys exist only on Windows
#   Server 2022 / Windows 11 and later (enabled there by default), and
#   Exchange Server does not support TLS 1.3 (Exchange Health Checker). TLS
#   1.2 is enough for Microsoft.

Write-Host 'Done. Restart Windows for Schannel changes to take effect.'
